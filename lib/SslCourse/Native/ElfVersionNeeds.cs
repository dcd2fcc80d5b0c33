using System.Buffers.Binary;
using System.Text;

namespace SslCourse.Native;

/// <summary>One version a shared library needs from another (an entry of the ELF <c>.gnu.version_r</c> section).</summary>
/// <param name="File">The library that must provide it, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="FlagsOffset">File offset of the entry's <c>vna_flags</c> field.</param>
/// <param name="Flags">The flags as read (2 = VER_FLG_WEAK).</param>
public sealed record ElfVersionNeed(string File, string Name, long FlagsOffset, ushort Flags)
{
    /// <summary>True when the dynamic loader only warns (instead of failing) if the version is missing.</summary>
    public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
}

/// <summary>
/// Reads and edits the version needs of a 64-bit little-endian ELF shared library.
/// Used to mark a version need as weak in a private copy of a library (see <see cref="TorchLoader"/>).
/// </summary>
public static class ElfVersionNeeds
{
    /// <summary>The ELF machine number of x86-64.</summary>
    public const ushort MachineX86_64 = 62;
    /// <summary>VER_FLG_WEAK: a missing version is reported, not fatal.</summary>
    public const ushort VerFlagWeak = 2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The ELF machine of <paramref name="image"/>, or throws <see cref="InvalidDataException"/> naming
    /// <paramref name="file"/> when it is not a 64-bit little-endian ELF file.</summary>
    public static ushort Machine(ReadOnlySpan<byte> image, string file)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException($"{file}: not an ELF file (expected the magic bytes 7F 45 4C 46 at offset 0).");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException($"{file}: ELF class {image[4]}, data {image[5]}; expected 64-bit little-endian (2, 1).");
        return BinaryPrimitives.ReadUInt16LittleEndian(image[0x12..]);
    }

    /// <summary>A readable name for an ELF machine number.</summary>
    public static string MachineName(ushort machine) => machine switch
    {
        3 => "x86 (32-bit)",
        40 => "ARM (32-bit)",
        62 => "x86-64",
        183 => "AArch64 (Arm64)",
        243 => "RISC-V",
        _ => $"ELF machine {machine}",
    };

    /// <summary>Every version need of the library in <paramref name="image"/>.</summary>
    public static IReadOnlyList<ElfVersionNeed> Read(ReadOnlySpan<byte> image, string file)
    {
        Machine(image, file);
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(image[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3C..]);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shentsize * shnum > image.Length)
            throw new InvalidDataException($"{file}: section header table at {shoff} ({shnum} x {shentsize} bytes) lies outside the file ({image.Length} bytes); the file is truncated or corrupt.");

        var needs = new List<ElfVersionNeed>();
        for (int s = 0; s < shnum; s++)
        {
            var sh = image.Slice((int)(shoff + (long)s * shentsize), 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[44..]);
            var strtab = image.Slice((int)(shoff + (long)link * shentsize), 64);
            long strOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(strtab[24..]);

            long vn = offset;
            for (int i = 0; i < count; i++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int cnt = BinaryPrimitives.ReadUInt16LittleEndian(image[(int)(vn + 2)..]);
                string needFile = CString(image, strOffset + BinaryPrimitives.ReadUInt32LittleEndian(image[(int)(vn + 4)..]));
                long aux = vn + BinaryPrimitives.ReadUInt32LittleEndian(image[(int)(vn + 8)..]);
                for (int j = 0; j < cnt; j++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(image[(int)(aux + 4)..]);
                    string name = CString(image, strOffset + BinaryPrimitives.ReadUInt32LittleEndian(image[(int)(aux + 8)..]));
                    needs.Add(new ElfVersionNeed(needFile, name, aux + 4, flags));
                    uint next = BinaryPrimitives.ReadUInt32LittleEndian(image[(int)(aux + 12)..]);
                    if (next == 0) break;
                    aux += next;
                }
                uint vnNext = BinaryPrimitives.ReadUInt32LittleEndian(image[(int)(vn + 12)..]);
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        return needs;
    }

    /// <summary>Sets VER_FLG_WEAK on each need in <paramref name="needs"/> (in place, in <paramref name="image"/>).</summary>
    public static void MarkWeak(Span<byte> image, IEnumerable<ElfVersionNeed> needs)
    {
        foreach (var need in needs)
        {
            var field = image.Slice((int)need.FlagsOffset, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(need.Flags | VerFlagWeak));
        }
    }

    static string CString(ReadOnlySpan<byte> image, long offset)
    {
        var rest = image[(int)offset..];
        int end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }
}

namespace SslCourse.Notebooks;

/// <summary>Reads memory figures of a process from Linux's <c>/proc/&lt;pid&gt;/status</c> (used by the grader's memory
/// limit and the benchmark's peak memory).</summary>
public static class ProcStatus
{
    /// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> given in kB (e.g. <c>VmRSS</c>, <c>VmHWM</c>), in bytes; null when
    /// the process is gone, the field is missing or the system has no /proc.</summary>
    public static long? Bytes(int pid, string field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var prefix = field + ":";
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts.Length >= 2 && long.TryParse(parts[1], out var kb) ? kb * 1024 : null;
                }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

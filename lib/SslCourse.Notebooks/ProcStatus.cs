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

    /// <summary>Resident memory of a process and all its descendants (Linux /proc), in bytes; 0 elsewhere. In a
    /// sandbox's PID namespace orphans are adopted by the sandbox's init, so they stay descendants.</summary>
    public static long TreeRss(int pid)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        long total = 0;
        var stack = new Stack<int>();
        stack.Push(pid);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            if (!seen.Add(p)) continue;
            try
            {
                total += Bytes(p, "VmRSS") ?? 0;
                foreach (var task in Directory.EnumerateDirectories($"/proc/{p}/task"))
                {
                    var children = File.ReadAllText(Path.Combine(task, "children"));
                    foreach (var c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (int.TryParse(c, out var child)) stack.Push(child);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }
}

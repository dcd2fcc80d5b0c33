namespace SslCourse.Notebooks;

/// <summary>
/// A control group for one sandbox: a memory limit and a process (task) limit that cover every process in it, and a
/// way to kill them all. Uses cgroup v1 (the <c>memory</c> and <c>pids</c> hierarchies) or cgroup v2 (the unified
/// hierarchy, where the controllers are enabled for children), where the grader may create groups (root, or a
/// delegated subtree). The worker joins it before it starts (<see cref="JoinScript"/>), so its children are in it too.
/// </summary>
public sealed class GradeCgroup : IDisposable
{
    const string Base = "/sys/fs/cgroup";
    readonly List<string> _dirs = [];
    readonly bool _v2;

    /// <summary>The <c>cgroup.procs</c> files the worker writes its PID into before it runs the sandbox.</summary>
    public IReadOnlyList<string> ProcsFiles => _dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    GradeCgroup(bool v2) => _v2 = v2;

    /// <summary>Creates the group with the limits, or returns null with <paramref name="why"/> when this machine does
    /// not let the grader (cgroups missing, not writable, controllers not enabled).</summary>
    public static GradeCgroup? TryCreate(long memoryBytes, int maxTasks, out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux()) { why = "cgroups exist on Linux only"; return null; }
        var name = $"ssl-course-grade-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48];
        var group = new GradeCgroup(File.Exists(Path.Combine(Base, "cgroup.controllers")));
        try
        {
            if (group._v2)
            {
                var controllers = File.ReadAllText(Path.Combine(Base, "cgroup.subtree_control"));
                if (!controllers.Contains("memory") || !controllers.Contains("pids")) { why = "the cgroup v2 root does not enable the memory and pids controllers for children"; return null; }
                var dir = Path.Combine(Base, name);
                Directory.CreateDirectory(dir);
                group._dirs.Add(dir);
                File.WriteAllText(Path.Combine(dir, "memory.max"), memoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(dir, "memory.swap.max"), "0");
                File.WriteAllText(Path.Combine(dir, "pids.max"), maxTasks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                if (!Directory.Exists(Path.Combine(Base, "memory")) || !Directory.Exists(Path.Combine(Base, "pids"))) { why = "no cgroup v1 memory and pids hierarchies under /sys/fs/cgroup"; return null; }
                var mem = Path.Combine(Base, "memory", name);
                Directory.CreateDirectory(mem);
                group._dirs.Add(mem);
                File.WriteAllText(Path.Combine(mem, "memory.limit_in_bytes"), memoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var swap = Path.Combine(mem, "memory.memsw.limit_in_bytes");
                if (File.Exists(swap)) File.WriteAllText(swap, memoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var pids = Path.Combine(Base, "pids", name);
                Directory.CreateDirectory(pids);
                group._dirs.Add(pids);
                File.WriteAllText(Path.Combine(pids, "pids.max"), maxTasks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return group;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot create a control group under {Base}: {e.Message}";
            group.Dispose();
            return null;
        }
    }

    /// <summary>A <c>sh -c</c> script that moves the shell into the group, then runs its arguments
    /// (<c>sh -c SCRIPT sh PROCS... -- COMMAND...</c>).</summary>
    public const string JoinScript = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    /// <summary>True when the kernel killed a process of the group for exceeding the memory limit.</summary>
    public bool OutOfMemory
    {
        get
        {
            try
            {
                var dir = _dirs[0];
                if (_v2) return Counter(File.ReadAllText(Path.Combine(dir, "memory.events")), "oom_kill") > 0;
                var oom = Path.Combine(dir, "memory.oom_control");
                if (File.Exists(oom) && Counter(File.ReadAllText(oom), "oom_kill") > 0) return true;
                // Kernels without the oom_kill counter: the peak reached the limit.
                return long.TryParse(File.ReadAllText(Path.Combine(dir, "memory.max_usage_in_bytes")).Trim(), out var peak)
                    && long.TryParse(File.ReadAllText(Path.Combine(dir, "memory.limit_in_bytes")).Trim(), out var limit) && peak >= limit - (1L << 20);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
    }

    /// <summary>True when forking was refused for reaching the task limit.</summary>
    public bool TaskLimitHit
    {
        get
        {
            try
            {
                var dir = _v2 ? _dirs[0] : _dirs[1];
                var events = Path.Combine(dir, "pids.events");
                return File.Exists(events) && Counter(File.ReadAllText(events), "max") > 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
    }

    static long Counter(string text, string key)
    {
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out var n)) return n;
        }
        return 0;
    }

    /// <summary>The PIDs in the group now.</summary>
    public IEnumerable<int> Processes()
    {
        var pids = new HashSet<int>();
        foreach (var f in ProcsFiles)
        {
            try { foreach (var l in File.ReadAllLines(f)) if (int.TryParse(l, out var p)) pids.Add(p); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return pids;
    }

    /// <summary>Kills every process in the group (repeatedly, until none is left or 5 s have passed).</summary>
    public void KillAll()
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < until)
        {
            var left = Processes().ToList();
            if (left.Count == 0) return;
            if (_v2 && File.Exists(Path.Combine(_dirs[0], "cgroup.kill")))
            {
                try { File.WriteAllText(Path.Combine(_dirs[0], "cgroup.kill"), "1"); } catch (IOException) { }
            }
            foreach (var pid in left)
            {
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills what is left and removes the group.</summary>
    public void Dispose()
    {
        KillAll();
        foreach (var d in _dirs)
        {
            for (int i = 0; i < 20; i++)
            {
                try { Directory.Delete(d); break; }
                catch (IOException) { Thread.Sleep(50); }
                catch (UnauthorizedAccessException) { break; }
            }
        }
    }
}

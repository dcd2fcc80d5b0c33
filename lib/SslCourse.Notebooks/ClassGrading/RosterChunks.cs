using System.Text.Json.Nodes;

namespace SslCourse.Notebooks.ClassGrading;

/// <summary>
/// Splits a roster into chunks for a GitHub Actions matrix: consecutive runs of students (in the roster's ordinal
/// order), as even as possible, each at most <c>chunkSize</c> students unless that would need more than
/// <see cref="MaxJobs"/> jobs (then the chunks grow). Chunk <c>k</c> of <c>n</c> is a pure function of the roster,
/// so every job recomputes its own students from the roster file and the two numbers.
/// </summary>
public static class RosterChunks
{
    /// <summary>GitHub Actions' limit of jobs one matrix may generate.</summary>
    public const int MaxJobs = 256;

    /// <summary>How many chunks <paramref name="students"/> students make at <paramref name="chunkSize"/> per chunk
    /// (at most <paramref name="maxJobs"/>).</summary>
    public static int Count(int students, int chunkSize, int maxJobs = MaxJobs)
    {
        if (students < 1) throw new ArgumentOutOfRangeException(nameof(students), students, "a roster has at least one student.");
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "expected at least one student per chunk.");
        if (maxJobs is < 1 or > MaxJobs) throw new ArgumentOutOfRangeException(nameof(maxJobs), maxJobs, $"expected 1 to {MaxJobs} jobs.");
        return Math.Min(maxJobs, (students + chunkSize - 1) / chunkSize);
    }

    /// <summary>The students of chunk <paramref name="chunk"/> (1-based) of <paramref name="chunks"/>.</summary>
    public static IReadOnlyList<RosterEntry> Chunk(Roster roster, int chunk, int chunks)
    {
        int n = roster.Students.Count;
        if (chunks < 1 || chunks > n) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, $"expected 1 to {n} chunks for a roster of {n} student(s).");
        if (chunk < 1 || chunk > chunks) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"expected a chunk number from 1 to {chunks}.");
        int from = (int)((long)(chunk - 1) * n / chunks), to = (int)((long)chunk * n / chunks);
        return roster.Students.Skip(from).Take(to - from).ToList();
    }

    /// <summary>The matrix for <c>strategy.matrix</c>: <c>{"include":[{"chunk":1,"chunks":n,"students":s},...]}</c>
    /// (compact JSON, one line, for <c>$GITHUB_OUTPUT</c>).</summary>
    public static string Matrix(Roster roster, int chunkSize, int maxJobs = MaxJobs)
    {
        int n = Count(roster.Students.Count, chunkSize, maxJobs);
        var include = new JsonArray();
        for (int k = 1; k <= n; k++)
            include.Add(new JsonObject { ["chunk"] = k, ["chunks"] = n, ["students"] = Chunk(roster, k, n).Count });
        return new JsonObject { ["include"] = include }.ToJsonString();
    }
}

using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using SslCourse.Exercises;

namespace SslCourse.Display;

/// <summary>
/// The notebook side of <see cref="SolutionAnalyzer"/>: finds, in the running C# kernel, the submission that holds
/// the exercise cell (the newest one with the header line <c>// EXERCISE id</c>) and analyses its solution regions
/// with the semantic model the kernel compiled it with (so the usings, aliases and declarations of earlier cells are
/// exactly those the student's code was bound against).
/// </summary>
public static class KernelSolution
{
    /// <summary>The notebook kernel's assembly, which the analyser compiles solutions against (so a solution that
    /// reaches for the kernel binds to it and is caught).</summary>
    public static string KernelAssemblyPath => typeof(Kernel).Assembly.Location;

    /// <summary>The violation message for <paramref name="exercise"/>'s solution, or null when it is clean or when no
    /// kernel (or no exercise cell) is found, e.g. a check called from a plain program or a test.</summary>
    public static string? Analyze(string exercise, SolutionRules rules)
    {
        var handling = KernelInvocationContext.Current?.HandlingKernel;   // null outside a notebook cell
        var kernel = handling as CSharpKernel ?? (handling?.RootKernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault();
        for (var script = kernel?.ScriptState?.Script; script != null; script = script.Previous)
        {
            if (!script.Code.Contains("EXERCISE " + exercise, StringComparison.Ordinal)) continue;
            var compilation = script.GetCompilation();
            var tree = compilation.SyntaxTrees.LastOrDefault();
            if (tree == null) return null;
            var regions = SolutionAnalyzer.Regions(tree.GetText(), exercise);
            if (regions.Count == 0) continue;
            return SolutionAnalyzer.Analyze(compilation, tree, regions, rules);
        }
        return null;
    }
}

using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Notebooks.ClassGrading;
using Xunit;

namespace SslCourse.Tests.Grading.ClassGrading;

/// <summary>The guard that keeps solution text out of uploaded results.</summary>
public class SolutionLeaksTests
{
    [Fact]
    public void A_result_file_holding_a_solution_is_found_whatever_its_whitespace()
    {
        var course = DemoCourse.Create("leaks");
        var solutions = SolutionLeaks.Solutions([NotebookDocument.Load(Path.Combine(course, "notebooks", "demo.ipynb"))]);
        solutions.Select(s => s.Exercise).Should().Equal(["evens"], "only solutions of 40 characters and more are searched for (the other two are one-liners)");

        var results = Repo.TempDir("leak-results");
        File.WriteAllText(Path.Combine(results, "bob.md"), "| evens | 0 / 1 | ✗ values differ |\n");
        SolutionLeaks.Check(results, solutions).Should().Be(1);

        Directory.CreateDirectory(Path.Combine(results, "carol"));
        File.WriteAllText(Path.Combine(results, "carol", "demo.json"), "{\"message\": \"expected return Enumerable.Range(0,\n   n).Where(i => i %  2 == 0);\"}");
        var act = () => SolutionLeaks.Check(results, solutions);
        act.Should().Throw<NotebookFormatException>().WithMessage($"{Path.Combine(results, "carol", "demo.json")}: holds the solution of exercise 'evens' of demo.ipynb*");
    }
}

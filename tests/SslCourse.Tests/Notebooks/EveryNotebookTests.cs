using FluentAssertions;
using Xunit;

namespace SslCourse.Tests.Notebooks;

/// <summary>Every notebook in notebooks/ (found by listing the folder, so future notebooks are covered): the source
/// passes all its checks in smoke, the released copy runs to the end and fails every check with its message.</summary>
public class EveryNotebookTests
{
    const string None = "(no notebooks yet)";

    /// <summary>The notebooks/ folder's .ipynb files, by name; one placeholder row when there are none (xunit refuses
    /// a theory without data).</summary>
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        var files = Directory.Exists(Repo.Notebooks) ? Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        foreach (var f in files) data.Add(f!);
        if (files.Count == 0) data.Add(None);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Source_passes_every_check_and_the_released_copy_fails_them_all(string notebook)
    {
        if (notebook == None)
        {
            (Directory.Exists(Repo.Notebooks) ? Directory.GetFiles(Repo.Notebooks, "*.ipynb") : []).Should().BeEmpty("the placeholder row stands only for an empty notebooks/ folder");
            return;
        }
        NotebookHonesty.Verify(Path.Combine(Repo.Notebooks, notebook));
    }

    [Fact]
    public void The_notebook_list_is_read_from_the_folder()
    {
        var listed = ((IEnumerable<object[]>)Notebooks()).Select(row => (string)row[0]).ToList();
        var onDisk = Directory.Exists(Repo.Notebooks) ? Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileName).ToList() : [];
        if (onDisk.Count == 0) listed.Should().Equal(None);
        else listed.Should().BeEquivalentTo(onDisk);
    }
}

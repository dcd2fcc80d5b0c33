using FluentAssertions;
using SslCourse.Notebooks;
using SslCourse.Tests.Engine;
using Xunit;

namespace SslCourse.Tests.DevEnv;

/// <summary><c>ssl-course export --to cs</c>: notebook cells (C# script) as a .NET file-based app.</summary>
public class ExportTests
{
    readonly string _dir = Repo.TempDir("export");

    string Export(params string[] cells)
    {
        var nb = NotebookDocument.Load(TestNotebooks.Write(_dir, "nb.ipynb", cells));
        return ExportFileApp.Generate(nb, Path.Combine(_dir, "app", "nb.cs")).Code;
    }

    static string Statements(string code) => code[..code.IndexOf("static class NotebookApp", StringComparison.Ordinal)];

    [Fact]
    public void The_last_expression_of_a_cell_is_shown_and_others_run_as_written()
    {
        var code = Export("var a = 1;\nConsole.WriteLine(a);", "a + 1", "await Task.FromResult(a)", "Console.WriteLine(a);");
        code.Should().Contain("Console.WriteLine(a);\n").And.Contain("NotebookApp.Show(() => a + 1);")
            .And.Contain("await NotebookApp.ShowAsync(async () => await Task.FromResult(a));");
        code.Should().NotContain("Show(() => Console.WriteLine(a))", "a statement with a semicolon shows nothing in a notebook either");
    }

    [Fact]
    public void Usings_go_to_the_top_types_after_the_statements_and_markdown_becomes_comments()
    {
        var code = Export("using System.Text;\nrecord Pair(int A, int B);\nvar p = new Pair(1, 2);", "using System.Text;\nusing static System.Math;\nMax(1, 2)");
        var usingText = code.IndexOf("using System.Text;", StringComparison.Ordinal);
        code.IndexOf("using System.Text;", usingText + 1, StringComparison.Ordinal).Should().Be(-1, "usings are not repeated");
        usingText.Should().BeLessThan(code.IndexOf("NotebookApp.Begin(", StringComparison.Ordinal));
        code.IndexOf("using static System.Math;", StringComparison.Ordinal).Should().BeLessThan(code.IndexOf("NotebookApp.Begin(", StringComparison.Ordinal));
        code.IndexOf("record Pair(int A, int B);", StringComparison.Ordinal).Should().BeGreaterThan(code.IndexOf("NotebookApp.Cell(3);", StringComparison.Ordinal));
        code.Should().Contain("// # nb.ipynb").And.Contain("// ---- cell 2 ----");
    }

    [Fact]
    public void A_variable_declared_again_in_a_later_cell_is_renamed_from_there_on()
    {
        var code = Statements(Export("var n = 2;\nvar s = n * 2;", "var n = \"two\";\nConsole.WriteLine(n.Length);", "Func<int, int> f = n => n + 1;\nn.ToUpper()"));
        code.Should().Contain("var n = 2;\nvar s = n * 2;");
        code.Should().Contain("var n_2 = \"two\";\nConsole.WriteLine(n_2.Length);");
        code.Should().Contain("Func<int, int> f = n => n + 1;", "a lambda parameter of the same name is another variable");
        code.Should().Contain("NotebookApp.Show(() => n_2.ToUpper());");
    }

    [Fact]
    public void Methods_become_local_functions_and_a_redefinition_replaces_the_earlier_one()
    {
        var code = Statements(Export("public static double Twice(double x) => 2 * x;", "double Twice(double x) => 3 * x;\nTwice(1)"));
        code.Should().Contain("static double Twice(double x) => 2 * x;").And.NotContain("public static double Twice");
        code.Should().Contain("double Twice_2(double x) => 3 * x;").And.Contain("Show(() => Twice_2(1))");
    }

    [Fact]
    public void Kernel_directives_become_file_based_app_directives()
    {
        var code = Export("#r \"nuget: ScottPlot, 5.1.59\"\n#!time\nvar x = 1;", "#r \"nuget:Plotly.NET\"");
        code.Should().Contain("#:package ScottPlot@5.1.59\n").And.Contain("#:package Plotly.NET@*\n").And.Contain("#:property PublishAot=false\n");
        code.Should().Contain("kernel command `#!time`").And.NotContain("\n#r ");
    }

    [Fact]
    public void The_setup_cell_becomes_a_project_reference_relative_to_the_program()
    {
        var code = Export(SelfCheckTests.SetupCell());
        var expected = Path.GetRelativePath(Path.Combine(_dir, "app"), Path.Combine(Repo.Root, "lib", "SslCourse", "SslCourse.csproj")).Replace('\\', '/');
        code.Should().Contain($"#:project {expected}\n");
        code.Should().Contain("TorchSharp.dll").And.Contain("comes with the project built into the same folder");
        code.Should().Contain("SslCourse.Course.Setup(seed: 0);");
        code.Split('\n').Should().NotContain(l => l.StartsWith("#r", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dll_without_a_project_cannot_be_exported_and_the_cell_is_named()
    {
        var dll = Path.Combine(_dir, "loose", "Thing.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllText(dll, "");
        var act = () => Export("var a = 1;", $"#r \"{dll}\"");
        act.Should().Throw<ExportException>().WithMessage("cell 3: `#r*Thing.dll*no project that builds Thing.dll*");
    }

    [Fact]
    public void Cells_of_other_languages_are_kept_as_comments()
    {
        var code = Export("#!fsharp\nlet x = 1", "var y = 2;");
        code.Should().Contain("// #!fsharp\n// let x = 1").And.Contain("a 'fsharp' cell cannot run in a C# program");
    }

    [Fact]
    public void The_command_writes_one_folder_per_notebook_and_refuses_other_formats()
    {
        TestNotebooks.Write(_dir, "01-small.ipynb", "Console.WriteLine(\"hi\");");
        var r = CliProcess.Run(_dir, TimeSpan.FromMinutes(1), "export", "01-small.ipynb", "--to", "cs");
        r.ExitCode.Should().Be(0, r.All);
        File.ReadAllText(Path.Combine(_dir, "exported", "01-small", "01-small.cs")).Should().Contain("Console.WriteLine(\"hi\");");
        File.ReadAllText(Path.Combine(_dir, "exported", ".gitignore")).Should().Contain("*");
        r.Stdout.Should().Contain("dotnet run --file");

        var bad = CliProcess.Run(_dir, TimeSpan.FromMinutes(1), "export", "01-small.ipynb", "--to", "py");
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("--to 'py'");
    }
}

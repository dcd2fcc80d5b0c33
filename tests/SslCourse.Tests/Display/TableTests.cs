using FluentAssertions;
using Microsoft.Data.Analysis;
using SslCourse.Display;
using Xunit;

namespace SslCourse.Tests.Display;

public class TableTests
{
    record Result(string Method, double KnnAccuracy, int Epochs);

    [Fact]
    public void Plain_text_aligns_columns_and_right_aligns_numbers()
    {
        var table = Table.From(["method", "accuracy", "epochs"], [["SimCLR", 0.8123456, 100], ["BYOL (momentum)", 0.9, 5]]);
        var lines = table.ToText().Split('\n');
        lines.Should().Equal(
            "method           accuracy  epochs",
            "---------------  --------  ------",
            "SimCLR             0.8123     100",
            "BYOL (momentum)       0.9       5");
    }

    [Fact]
    public void Html_escapes_cells_and_headers_and_markdown_escapes_pipes()
    {
        var table = new Table(["a<b", "value"], [["<script>alert(1)</script>", 1.5], ["x|y & z", null]]) { Title = "T & U" };
        var html = table.ToHtml();
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.NotContain("<script>");
        html.Should().Contain("<th style=\"text-align:left\">a&lt;b</th>").And.Contain("x|y &amp; z").And.Contain("<caption");
        html.Should().Contain("<td style=\"text-align:right\">1.5</td>");
        var md = table.ToMarkdown().Split('\n');
        md[2].Should().Be("| a<b | value |");
        md[3].Should().Be("| --- | ---: |");
        md[5].Should().Be("| x\\|y & z |  |");
    }

    [Fact]
    public void Records_and_data_frames_become_tables()
    {
        var fromRecords = Table.From(new[] { new Result("SimCLR", 0.75, 10), new Result("MoCo", 0.5, 20) });
        fromRecords.Headers.Should().Equal("Method", "KnnAccuracy", "Epochs");
        fromRecords.Cell(1, 1).Should().Be("0.5");

        var frame = new DataFrame(new StringDataFrameColumn("method", ["a", "b"]), new DoubleDataFrameColumn("acc", [0.25, 1e-5]));
        var fromFrame = Table.From(frame);
        fromFrame.Headers.Should().Equal("method", "acc");
        fromFrame.Cell(1, 1).Should().Be("1E-5");
        fromFrame.IsNumeric(1).Should().BeTrue();
        fromFrame.IsNumeric(0).Should().BeFalse();

        var ragged = () => new Table(["a", "b"], [["only one"]]);
        ragged.Should().Throw<ArgumentException>().WithMessage("*row 0 has 1 cells for 2 columns*");
    }
}

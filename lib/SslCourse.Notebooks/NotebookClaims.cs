using System.Text.Json;
using System.Text.Json.Nodes;

namespace SslCourse.Notebooks;

/// <summary>One claim a notebook's run checked: where it was printed and its verdict.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Cell">One-based number of the cell that printed it.</param>
/// <param name="Statement">The claim in words.</param>
/// <param name="Holds">Whether the run showed it.</param>
/// <param name="Claim">The whole claim as the notebook wrote it (rule, measurements, margin, expectation).</param>
public sealed record NotebookClaim(string Notebook, int Cell, string Statement, bool Holds, JsonObject Claim);

/// <summary>
/// Reads the claims an executed notebook printed: outputs that carry <see cref="MimeType"/> (the course library's
/// <c>SslCourse.Evaluation.Claim</c> writes them). The engine knows only the MIME type and the two fields it
/// summarises (<c>statement</c>, <c>holds</c>), not what the claims are about.
/// </summary>
public static class NotebookClaims
{
    /// <summary>The MIME type of a claim's JSON in a notebook output (the same string as <c>Claim.MimeType</c>).</summary>
    public const string MimeType = "application/vnd.ssl-course.claim+json";

    /// <summary>The claims printed by the cells of <paramref name="result"/>, in cell order. A displayed value that
    /// was updated in place counts once, with its last content.</summary>
    public static IReadOnlyList<NotebookClaim> From(NotebookResult result)
    {
        var name = Path.GetFileName(result.Path);
        var claims = new List<NotebookClaim>();
        foreach (var cell in result.Cells)
            foreach (var output in cell.Outputs.OfType<JsonObject>())
            {
                if (output["data"] is not JsonObject data || data[MimeType] is not JsonNode node) continue;
                var claim = node is JsonValue v && v.TryGetValue<string>(out var text) ? JsonNode.Parse(text) as JsonObject : node as JsonObject;
                if (claim?["statement"]?.GetValue<string>() is not string statement || claim["holds"] is not JsonValue holds) continue;
                claims.Add(new NotebookClaim(name, cell.Number, statement, holds.GetValue<bool>(), (JsonObject)claim.DeepClone()));
            }
        return claims;
    }

    /// <summary>
    /// Writes every claim of <paramref name="claims"/> as a JSON array (notebook, cell, statement, holds, and the whole
    /// claim) to <paramref name="path"/> atomically.
    /// </summary>
    public static void Save(IEnumerable<NotebookClaim> claims, string path)
    {
        var array = new JsonArray();
        foreach (var c in claims)
            array.Add(new JsonObject
            {
                ["notebook"] = c.Notebook, ["cell"] = c.Cell, ["statement"] = c.Statement, ["holds"] = c.Holds, ["claim"] = c.Claim.DeepClone(),
            });
        AtomicFile.WriteAllText(path, array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}

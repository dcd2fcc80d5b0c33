namespace SslCourse.Data;

/// <summary>A data file is truncated or not in the expected format. The message names the file and what was expected
/// and found (size or magic number).</summary>
public sealed class DataFormatException(string path, string message) : IOException($"{path}: {message}")
{
    /// <summary>The offending file.</summary>
    public string Path { get; } = path;
}

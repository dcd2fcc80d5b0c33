namespace SslCourse.Shapes;

/// <summary>
/// The object classes of the part-based shape set and their part vocabularies. Part ids are global (one list for
/// all classes, as in ShapeNet-Part: Yi et al., SIGGRAPH Asia 2016), so one segmentation head serves every class
/// and evaluation restricts a shape's prediction to the parts of its class.
/// </summary>
public static class PartCatalog
{
    /// <summary>Class names, indexed by class id.</summary>
    public static IReadOnlyList<string> Classes { get; } = new[] { "chair", "table", "lamp", "mug" };

    /// <summary>Part names ("class/part"), indexed by global part id.</summary>
    public static IReadOnlyList<string> Parts { get; } = new[]
    {
        "chair/seat", "chair/back", "chair/leg", "chair/arm",
        "table/top", "table/leg",
        "lamp/base", "lamp/pole", "lamp/shade",
        "mug/body", "mug/handle",
    };

    /// <summary>Class id of every part.</summary>
    public static IReadOnlyList<int> ClassOfPart { get; } = new[] { 0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3 };

    /// <summary>Number of classes.</summary>
    public static int ClassCount => Classes.Count;

    /// <summary>Number of parts over all classes.</summary>
    public static int PartCount => Parts.Count;

    /// <summary>The global part ids of class <paramref name="classId"/>, ascending.</summary>
    public static int[] PartsOf(int classId)
    {
        if (classId < 0 || classId >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(classId), classId, $"classId must be in [0, {ClassCount}), got {classId}.");
        return Enumerable.Range(0, PartCount).Where(p => ClassOfPart[p] == classId).ToArray();
    }

    /// <summary>Global part id of <paramref name="name"/> ("chair/seat").</summary>
    public static int PartId(string name)
    {
        for (int i = 0; i < Parts.Count; i++) if (Parts[i] == name) return i;
        throw new ArgumentException($"part '{name}' is not in the catalogue ({string.Join(", ", Parts)}).", nameof(name));
    }
}

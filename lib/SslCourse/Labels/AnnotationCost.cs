namespace SslCourse.Labels;

/// <summary>
/// A simple price list for labels, in annotator time. Defaults: a class label for an easy category takes a few
/// seconds, a fine-grained one needs an expert and longer, and a dense per-pixel label takes 60-90 minutes per
/// image (Cordts et al., "The Cityscapes dataset", CVPR 2016, report about 1.5 hours per image).
/// </summary>
/// <param name="SecondsPerClassLabel">Time for one image-level label of an easy category.</param>
/// <param name="SecondsPerFineGrainedLabel">Time for one expert label of a fine-grained category.</param>
/// <param name="MinutesPerDenseLabel">Time for labelling every pixel of one image.</param>
/// <param name="LabelsPerItem">Independent labels collected per item (e.g. 3 annotators vote).</param>
/// <param name="HourlyWage">Cost of an annotator hour (any currency) for the money view.</param>
public sealed record AnnotationCost(
    double SecondsPerClassLabel = 3,
    double SecondsPerFineGrainedLabel = 30,
    double MinutesPerDenseLabel = 75,
    int LabelsPerItem = 1,
    double HourlyWage = 20)
{
    /// <summary>Annotator hours for <paramref name="items"/> image-level labels.</summary>
    public double ClassLabelHours(long items, bool fineGrained = false) =>
        Check(items) * LabelsPerItem * (fineGrained ? SecondsPerFineGrainedLabel : SecondsPerClassLabel) / 3600.0;

    /// <summary>Annotator hours for <paramref name="images"/> densely labelled images.</summary>
    public double DenseLabelHours(long images) => Check(images) * LabelsPerItem * MinutesPerDenseLabel / 60.0;

    /// <summary>Money for <paramref name="hours"/> of annotation.</summary>
    public double Cost(double hours) => hours * HourlyWage;

    static long Check(long n) => n >= 0 ? n : throw new ArgumentOutOfRangeException(nameof(n), n, "count must be >= 0.");
}

namespace SslCourse.Shapes;

/// <summary>
/// A solid primitive the part-based objects are built from, placed by a centre and three orthonormal axes
/// (world = centre + x*AxisX + y*AxisY + z*AxisZ). It knows its surface area, samples points uniformly on its
/// (possibly open) surface and tells whether a point lies inside its solid, so that surface points hidden
/// inside a neighbouring part can be dropped.
/// </summary>
public abstract record Primitive
{
    /// <summary>Tolerance of <see cref="Contains"/>: a point this close to the surface counts as inside, so that
    /// faces glued to a neighbour (a leg's top under a seat) are treated as hidden.</summary>
    public const double ContactTolerance = 1e-7;

    /// <summary>Centre of the local frame.</summary>
    public Vec3 Center { get; init; } = Vec3.Zero;
    /// <summary>Local x axis in world coordinates (unit).</summary>
    public Vec3 AxisX { get; init; } = new(1, 0, 0);
    /// <summary>Local y axis in world coordinates (unit).</summary>
    public Vec3 AxisY { get; init; } = new(0, 1, 0);
    /// <summary>Local z axis in world coordinates (unit).</summary>
    public Vec3 AxisZ { get; init; } = new(0, 0, 1);

    /// <summary>Area of the sampled surface.</summary>
    public abstract double Area { get; }

    /// <summary>A point uniformly distributed on the sampled surface, in local coordinates.</summary>
    protected abstract Vec3 SampleLocal(UniformSource u);

    /// <summary>Whether a local point lies in the solid (within <see cref="ContactTolerance"/>).</summary>
    protected abstract bool ContainsLocal(Vec3 p);

    /// <summary>A point uniformly distributed on the surface, in world coordinates.</summary>
    public Vec3 Sample(UniformSource u) => ToWorld(SampleLocal(u));

    /// <summary>Whether a world point lies in the solid (surface included, within <see cref="ContactTolerance"/>).</summary>
    public bool Contains(Vec3 p) => ContainsLocal(ToLocal(p));

    /// <summary>Local to world coordinates.</summary>
    public Vec3 ToWorld(Vec3 p) => Center + p.X * AxisX + p.Y * AxisY + p.Z * AxisZ;

    /// <summary>World to local coordinates.</summary>
    public Vec3 ToLocal(Vec3 p) { var d = p - Center; return new(Vec3.Dot(d, AxisX), Vec3.Dot(d, AxisY), Vec3.Dot(d, AxisZ)); }

    /// <summary>A copy of this primitive turned by <paramref name="angle"/> radians about the world axis through
    /// <paramref name="pivot"/> with direction <paramref name="axis"/> (Rodrigues' formula).</summary>
    public Primitive Rotated(Vec3 pivot, Vec3 axis, double angle)
    {
        var k = axis.Normalized();
        double c = Math.Cos(angle), s = Math.Sin(angle);
        Vec3 Turn(Vec3 v) => c * v + s * Vec3.Cross(k, v) + (1 - c) * Vec3.Dot(k, v) * k;
        return this with { Center = pivot + Turn(Center - pivot), AxisX = Turn(AxisX), AxisY = Turn(AxisY), AxisZ = Turn(AxisZ) };
    }

    /// <summary>A copy of this primitive moved by <paramref name="offset"/>.</summary>
    public Primitive Moved(Vec3 offset) => this with { Center = Center + offset };

    internal static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, got {value}.");
    }
}

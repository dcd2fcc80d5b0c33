namespace SslCourse.Shapes;

/// <summary>A box with half extents <paramref name="HalfX"/>, <paramref name="HalfY"/>, <paramref name="HalfZ"/>;
/// all six faces are sampled.</summary>
public sealed record Box(double HalfX, double HalfY, double HalfZ) : Primitive
{
    /// <inheritdoc/>
    public override double Area => 8 * (HalfX * HalfY + HalfY * HalfZ + HalfX * HalfZ);

    /// <inheritdoc/>
    protected override Vec3 SampleLocal(UniformSource u)
    {
        double axy = HalfX * HalfY, ayz = HalfY * HalfZ, t = u.Next() * (axy + ayz + HalfX * HalfZ);
        double sign = u.Chance(0.5) ? 1 : -1, a = 2 * u.Next() - 1, b = 2 * u.Next() - 1;
        if (t < axy) return new(a * HalfX, b * HalfY, sign * HalfZ);
        if (t < axy + ayz) return new(sign * HalfX, a * HalfY, b * HalfZ);
        return new(a * HalfX, sign * HalfY, b * HalfZ);
    }

    /// <inheritdoc/>
    protected override bool ContainsLocal(Vec3 p) =>
        Math.Abs(p.X) <= HalfX + ContactTolerance && Math.Abs(p.Y) <= HalfY + ContactTolerance && Math.Abs(p.Z) <= HalfZ + ContactTolerance;
}

/// <summary>A frustum of a cone along local z from radius <paramref name="RadiusBottom"/> at z = -HalfHeight to
/// <paramref name="RadiusTop"/> at z = +HalfHeight (equal radii: a cylinder). The side is always sampled, each cap
/// only when asked (an open cup, a lamp shade).</summary>
public sealed record Frustum(double RadiusBottom, double RadiusTop, double HalfHeight, bool CapBottom = true, bool CapTop = true) : Primitive
{
    /// <summary>A cylinder of radius <paramref name="radius"/> along local z.</summary>
    public static Frustum Cylinder(double radius, double halfHeight, bool capBottom = true, bool capTop = true) =>
        new(radius, radius, halfHeight, capBottom, capTop);

    double SideArea => Math.PI * (RadiusBottom + RadiusTop) * Math.Sqrt((RadiusBottom - RadiusTop) * (RadiusBottom - RadiusTop) + 4 * HalfHeight * HalfHeight);
    double BottomArea => CapBottom ? Math.PI * RadiusBottom * RadiusBottom : 0;
    double TopArea => CapTop ? Math.PI * RadiusTop * RadiusTop : 0;

    /// <inheritdoc/>
    public override double Area => SideArea + BottomArea + TopArea;

    /// <inheritdoc/>
    protected override Vec3 SampleLocal(UniformSource u)
    {
        double t = u.Next() * Area, phi = 2 * Math.PI * u.Next();
        if (t < BottomArea || t < BottomArea + TopArea)
        {
            bool bottom = t < BottomArea;
            double r = (bottom ? RadiusBottom : RadiusTop) * Math.Sqrt(u.Next()); // uniform on a disc
            return new(r * Math.Cos(phi), r * Math.Sin(phi), bottom ? -HalfHeight : HalfHeight);
        }
        // Side: the density along the height grows with the radius r(s) = r0 + (r1 - r0) s; invert its CDF.
        double v = u.Next(), r0 = RadiusBottom, r1 = RadiusTop, s;
        s = Math.Abs(r1 - r0) < 1e-12 ? v : (Math.Sqrt(r0 * r0 + v * (r1 * r1 - r0 * r0)) - r0) / (r1 - r0);
        double radius = r0 + (r1 - r0) * s;
        return new(radius * Math.Cos(phi), radius * Math.Sin(phi), -HalfHeight + 2 * HalfHeight * s);
    }

    /// <inheritdoc/>
    protected override bool ContainsLocal(Vec3 p)
    {
        if (Math.Abs(p.Z) > HalfHeight + ContactTolerance) return false;
        double s = Math.Clamp((p.Z + HalfHeight) / (2 * HalfHeight), 0, 1);
        double r = RadiusBottom + (RadiusTop - RadiusBottom) * s;
        return Math.Sqrt(p.X * p.X + p.Y * p.Y) <= r + ContactTolerance;
    }
}

/// <summary>A sphere of radius <paramref name="Radius"/>, or the cap of it above local z = <paramref name="CutZ"/>
/// (CutZ = 0: a dome open at the bottom). Only the curved surface is sampled.</summary>
public sealed record Sphere(double Radius, double CutZ = double.NegativeInfinity) : Primitive
{
    double Low => Math.Max(-Radius, CutZ);

    /// <inheritdoc/>
    public override double Area => 2 * Math.PI * Radius * (Radius - Low);

    /// <inheritdoc/>
    protected override Vec3 SampleLocal(UniformSource u)
    {
        // Archimedes: on a sphere, z is uniform over its range.
        double z = Low + (Radius - Low) * u.Next(), phi = 2 * Math.PI * u.Next();
        double rho = Math.Sqrt(Math.Max(0, Radius * Radius - z * z));
        return new(rho * Math.Cos(phi), rho * Math.Sin(phi), z);
    }

    /// <inheritdoc/>
    protected override bool ContainsLocal(Vec3 p) => p.Length <= Radius + ContactTolerance && p.Z >= Low - ContactTolerance;
}

/// <summary>A torus (or an arc of it) in the local xy plane: ring radius <paramref name="RingRadius"/>, tube radius
/// <paramref name="TubeRadius"/>, ring angle from <paramref name="StartAngle"/> to <paramref name="EndAngle"/> radians
/// measured from local +x (a mug handle is half a ring). Arc ends are left open.</summary>
public sealed record Torus(double RingRadius, double TubeRadius, double StartAngle = 0, double EndAngle = 2 * Math.PI) : Primitive
{
    /// <inheritdoc/>
    public override double Area => 2 * Math.PI * TubeRadius * RingRadius * (EndAngle - StartAngle);

    /// <inheritdoc/>
    protected override Vec3 SampleLocal(UniformSource u)
    {
        // The surface element is r (R + r cos theta) dtheta dphi: draw theta by rejection against that weight.
        double theta;
        do theta = 2 * Math.PI * u.Next();
        while (u.Next() * (RingRadius + TubeRadius) > RingRadius + TubeRadius * Math.Cos(theta));
        double phi = StartAngle + (EndAngle - StartAngle) * u.Next();
        double w = RingRadius + TubeRadius * Math.Cos(theta);
        return new(w * Math.Cos(phi), w * Math.Sin(phi), TubeRadius * Math.Sin(theta));
    }

    /// <inheritdoc/>
    protected override bool ContainsLocal(Vec3 p)
    {
        double phi = Math.Atan2(p.Y, p.X);
        bool inArc = false;
        for (int k = -1; k <= 1 && !inArc; k++)
        {
            double a = phi + 2 * Math.PI * k;
            inArc = a >= StartAngle - 1e-9 && a <= EndAngle + 1e-9;
        }
        if (!inArc) return false;
        double w = Math.Sqrt(p.X * p.X + p.Y * p.Y) - RingRadius;
        return Math.Sqrt(w * w + p.Z * p.Z) <= TubeRadius + ContactTolerance;
    }
}

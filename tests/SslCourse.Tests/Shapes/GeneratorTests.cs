using FluentAssertions;
using SslCourse.Shapes;
using Xunit;

namespace SslCourse.Tests.Shapes;

public class GeneratorTests
{
    public GeneratorTests() => Course.Init(0);

    [Fact]
    public void Shapes_are_deterministic_from_seed_and_index()
    {
        var a = new PartShapeGenerator(3, 256).Generate(5);
        var b = new PartShapeGenerator(3, 256).Generate(5);
        var c = new PartShapeGenerator(3, 256).Generate(9);
        a.Points.Should().Equal(b.Points);
        a.Parts.Should().Equal(b.Parts);
        c.Points.Should().NotEqual(a.Points);
    }

    [Fact]
    public void Every_class_comes_in_turn_with_its_own_parts_inside_the_unit_ball()
    {
        var gen = new PartShapeGenerator(0, 384);
        var shapes = gen.Generate(0, 16);
        for (int i = 0; i < shapes.Length; i++)
        {
            var s = shapes[i];
            s.Class.Should().Be(i % 4);
            s.Count.Should().Be(384);
            var allowed = PartCatalog.PartsOf(s.Class);
            s.Parts.Should().OnlyContain(p => allowed.Contains(p));
            var radii = Enumerable.Range(0, s.Count).Select(k => s.Point(k).Length).ToArray();
            radii.Max().Should().BeApproximately(1.0, 1e-5);
            // The parts every object of the class has are all there.
            foreach (var name in new[] { "chair/seat", "chair/back", "chair/leg", "table/top", "table/leg", "lamp/base", "lamp/pole", "lamp/shade", "mug/body", "mug/handle" })
            {
                int id = PartCatalog.PartId(name);
                if (PartCatalog.ClassOfPart[id] == s.Class) s.Parts.Should().Contain(id, $"shape {i} ({s.ClassName}) needs {name}");
            }
        }
    }

    [Fact]
    public void Part_catalogue_is_consistent()
    {
        PartCatalog.ClassOfPart.Should().HaveCount(PartCatalog.PartCount);
        PartCatalog.PartsOf(3).Select(p => PartCatalog.Parts[p]).Should().Equal("mug/body", "mug/handle");
        var act = () => PartCatalog.PartsOf(7);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*7*");
    }

    [Fact]
    public void Too_few_points_are_refused_with_the_value()
    {
        var act = () => new PartShapeGenerator(0, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3*");
    }
}

public class PrimitiveTests
{
    public PrimitiveTests() => Course.Init(0);

    [Fact]
    public void Box_samples_lie_on_its_faces_in_proportion_to_their_area()
    {
        var box = new Box(1, 2, 3) { Center = new Vec3(1, 1, 1) };
        box.Area.Should().BeApproximately(8 * (2 + 6 + 3), 1e-12);
        using var u = new UniformSource(1);
        int onZ = 0, n = 6000;
        for (int i = 0; i < n; i++)
        {
            var p = box.ToLocal(box.Sample(u));
            bool onFace = Math.Abs(Math.Abs(p.X) - 1) < 1e-9 || Math.Abs(Math.Abs(p.Y) - 2) < 1e-9 || Math.Abs(Math.Abs(p.Z) - 3) < 1e-9;
            onFace.Should().BeTrue();
            if (Math.Abs(Math.Abs(p.Z) - 3) < 1e-9) onZ++;
        }
        // The two z faces hold 2 * (2 * 4) = 16 of the 88 units of area.
        ((double)onZ / n).Should().BeApproximately(16.0 / 88, 0.02);
    }

    [Fact]
    public void Sphere_cap_heights_are_uniform_and_points_lie_on_the_sphere()
    {
        var cap = new Sphere(2, CutZ: 0);
        cap.Area.Should().BeApproximately(2 * Math.PI * 2 * 2, 1e-12);
        using var u = new UniformSource(2);
        var zs = Enumerable.Range(0, 4000).Select(_ => cap.Sample(u)).ToArray();
        zs.Should().OnlyContain(p => Math.Abs(p.Length - 2) < 1e-9 && p.Z >= 0);
        zs.Average(p => p.Z).Should().BeApproximately(1.0, 0.05); // Archimedes: z uniform on [0, 2]
    }

    [Fact]
    public void Frustum_and_torus_samples_lie_on_their_surfaces()
    {
        using var u = new UniformSource(3);
        var cone = new Frustum(2, 1, 1, CapBottom: false, CapTop: false);
        for (int i = 0; i < 500; i++)
        {
            var p = cone.Sample(u);
            double expected = 2 - (p.Z + 1) / 2; // radius falls linearly from 2 at z = -1 to 1 at z = 1
            Math.Sqrt(p.X * p.X + p.Y * p.Y).Should().BeApproximately(expected, 1e-9);
        }
        var ring = new Torus(1, 0.2, 0, Math.PI);
        ring.Area.Should().BeApproximately(2 * Math.PI * 0.2 * 1 * Math.PI, 1e-12);
        for (int i = 0; i < 500; i++)
        {
            var p = ring.Sample(u);
            double w = Math.Sqrt(p.X * p.X + p.Y * p.Y) - 1;
            Math.Sqrt(w * w + p.Z * p.Z).Should().BeApproximately(0.2, 1e-9);
            p.Y.Should().BeGreaterThanOrEqualTo(-1e-9); // the arc from 0 to pi is the upper half
        }
    }

    [Fact]
    public void Contains_and_rotation_agree_with_geometry()
    {
        var box = (Box)new Box(1, 0.1, 0.1).Rotated(Vec3.Zero, new Vec3(0, 0, 1), Math.PI / 2);
        box.Contains(new Vec3(0, 0.9, 0)).Should().BeTrue();  // the long axis now points along y
        box.Contains(new Vec3(0.9, 0, 0)).Should().BeFalse();
        Frustum.Cylinder(1, 1).Contains(new Vec3(0.7, 0.7, 0.9)).Should().BeTrue();
        new Torus(1, 0.2).Contains(new Vec3(0, 0, 0)).Should().BeFalse();
        new Torus(1, 0.2).Contains(new Vec3(0, 1.1, 0)).Should().BeTrue();
    }
}

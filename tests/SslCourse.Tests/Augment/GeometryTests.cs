using FluentAssertions;
using SslCourse.Augment;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Augment;

public class GeometryTests
{
    static Tensor Images(int n, int side = 16, int seed = 1) => rand(n, 3, side, side, generator: Course.Generator(seed));

    // naive bilinear sampling with zero padding and align_corners = false, one pixel at a time
    static float Bilinear(float[,,] img, int c, double x, double y)
    {
        int h = img.GetLength(1), w = img.GetLength(2);
        double px = x - 0.5, py = y - 0.5; // pixel-centre coordinates
        int x0 = (int)Math.Floor(px), y0 = (int)Math.Floor(py);
        double fx = px - x0, fy = py - y0, sum = 0;
        for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++)
            {
                int xx = x0 + dx, yy = y0 + dy;
                double wgt = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                if (xx >= 0 && xx < w && yy >= 0 && yy < h) sum += wgt * img[c, yy, xx];
            }
        return (float)sum;
    }

    static float[,,] ToArray(Tensor image)
    {
        int c = (int)image.shape[0], h = (int)image.shape[1], w = (int)image.shape[2];
        var data = image.contiguous().data<float>().ToArray();
        var a = new float[c, h, w];
        for (int k = 0; k < c; k++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) a[k, y, x] = data[(k * h + y) * w + x];
        return a;
    }

    [Fact]
    public void Crop_matches_a_per_image_reference_and_stays_inside()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(4);
        var crop = new RandomResizedCrop(8);
        using var p = crop.Sample(4, Course.Generator(3));
        var y = crop.Apply(x, p);
        y.shape.Should().Equal(4, 3, 8, 8);
        var cx = p.Cx.data<float>().ToArray(); var cy = p.Cy.data<float>().ToArray();
        var w = p.W.data<float>().ToArray(); var h = p.H.data<float>().ToArray(); var flip = p.Flip.data<bool>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            (cx[i] - w[i] / 2).Should().BeGreaterThanOrEqualTo(-1e-6f); (cx[i] + w[i] / 2).Should().BeLessThanOrEqualTo(1 + 1e-6f);
            (cy[i] - h[i] / 2).Should().BeGreaterThanOrEqualTo(-1e-6f); (cy[i] + h[i] / 2).Should().BeLessThanOrEqualTo(1 + 1e-6f);
            var img = ToArray(x[i]);
            var got = ToArray(y[i]);
            for (int c = 0; c < 3; c++)
                for (int oy = 0; oy < 8; oy++)
                    for (int ox = 0; ox < 8; ox++)
                    {
                        double u = (ox + 0.5) / 8; if (flip[i]) u = 1 - u;       // position inside the box, 0..1
                        double sx = (cx[i] - w[i] / 2 + u * w[i]) * 16, sy = (cy[i] - h[i] / 2 + (oy + 0.5) / 8 * h[i]) * 16;
                        got[c, oy, ox].Should().BeApproximately(Bilinear(img, c, sx, sy), 1e-4f);
                    }
        }
    }

    [Fact]
    public void Identical_images_get_different_views_and_the_same_seed_the_same_views()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(1).expand(8, 3, 16, 16).contiguous();
        var recipe = ViewRecipes.SimClr(16);
        var a = recipe.Apply(x, Course.Generator(5));
        var b = recipe.Apply(x, Course.Generator(5));
        a.Same(b).Should().BeTrue();
        for (int i = 1; i < 8; i++) a[i].allclose(a[0]).Should().BeFalse($"view {i} should differ from view 0");
        var (first, second) = ViewRecipes.Byol(16);
        var c = second.Apply(first.Apply(x, Course.Generator(6)), Course.Generator(7));
        c.shape.Should().Equal(8, 3, 16, 16);
        ((c.min().item<float>() >= 0) && (c.max().item<float>() <= 1)).Should().BeTrue();
    }

    [Fact]
    public void SimClr_on_gray_images_is_the_crop_then_the_colour_jitter_of_the_gray_image_as_rgb_then_the_blur()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = rand(6, 1, 14, 14, generator: Course.Generator(3));
        var view = ViewRecipes.SimClr(14, channels: 1).Apply(x, Course.Generator(5));
        // The reference, one piece at a time on the same generator: SimCLR's crop (0.08-1, flip), its jitter at strength
        // 1 (0.8 brightness and contrast, p 0.8) on the gray image as three equal channels, blur p 0.5.
        var g = Course.Generator(5);
        var cropped = new RandomResizedCrop(14, scaleMin: 0.08).Apply(x, g);
        var rgb = new ColorJitter(0.8, 0.8, 0, 0, probability: 0.8).Apply(cropped.expand(-1, 3, -1, -1), g);
        rgb[.., 1..2].allclose(rgb[.., 0..1]).Should().BeTrue("brightness and contrast keep a gray image's channels equal");
        rgb[.., 2..3].allclose(rgb[.., 0..1]).Should().BeTrue();
        var reference = new GaussianBlur(0.5).Apply(rgb[.., 0..1].contiguous(), g);
        view.shape.Should().Equal(6, 1, 14, 14);
        view.allclose(reference, atol: 1e-6).Should().BeTrue();
        FluentActions.Invoking(() => new GrayJitter(new ColorJitter()).Apply(Images(2), Course.Generator(1))).Should().Throw<ArgumentException>().WithMessage("*[B, 1, H, W]*[2, 3, 16, 16]*");
    }

    [Fact]
    public void Rotation_by_ninety_degrees_equals_rot90_and_matches_the_reference()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(3, 9);
        var turned = RandomRotation.Rotate(x, tensor(new float[] { 90, 90, 90 }));
        turned.allclose(Rotations.Rot90(x, 1), atol: 1e-5).Should().BeTrue("a 90-degree turn is counter-clockwise like rot90");
        var angles = new RandomRotation(30).Sample(3, Course.Generator(2));
        var y = RandomRotation.Rotate(x, angles);
        var deg = angles.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            var img = ToArray(x[i]); var got = ToArray(y[i]);
            double r = deg[i] * Math.PI / 180, co = Math.Cos(r), si = Math.Sin(r);
            for (int oy = 0; oy < 9; oy++)
                for (int ox = 0; ox < 9; ox++)
                {
                    double u = (ox + 0.5) / 9 * 2 - 1, v = (oy + 0.5) / 9 * 2 - 1;
                    double su = co * u - si * v, sv = si * u + co * v;
                    got[1, oy, ox].Should().BeApproximately(Bilinear(img, 1, (su + 1) / 2 * 9, (sv + 1) / 2 * 9), 1e-4f);
                }
        }
    }

    [Fact]
    public void Four_quarter_turns_are_the_identity_and_expand_labels_rotations()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var x = Images(2, 6);
        var r = x;
        for (int k = 0; k < 4; k++) r = Rotations.Rot90(r, 1);
        r.Same(x).Should().BeTrue();
        var (all, labels) = Rotations.Expand(x);
        all.shape.Should().Equal(8, 3, 6, 6);
        labels.data<long>().ToArray().Should().Equal(0, 0, 1, 1, 2, 2, 3, 3);
        all[2].Same(x[0].rot90(1, (1, 2))).Should().BeTrue();
        // rot90 k=1 is counter-clockwise: the top-right pixel moves to the top-left
        all[2][0, 0, 0].item<float>().Should().Be(x[0][0, 0, 5].item<float>());
    }
}

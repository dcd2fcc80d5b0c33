using FluentAssertions;
using SslCourse.Losses;
using SslCourse.Models;
using SslCourse.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Text;

public class TransformerTests
{
    [Fact]
    public void CausalMask_is_the_lower_triangle_with_the_diagonal()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var m = TransformerAttention.CausalMask(4);
        m.dtype.Should().Be(ScalarType.Bool);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                m[i, j].item<bool>().Should().Be(j <= i);
    }

    [Fact]
    public void ScaledDotProduct_matches_a_naive_loop_with_and_without_the_mask()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var g = Course.Generator(2);
        int t = 5, d = 4, dv = 3;
        var q = randn([2, t, d], generator: g);
        var k = randn([2, t, d], generator: g);
        var v = randn([2, t, dv], generator: g);
        foreach (bool causal in new[] { false, true })
        {
            var outT = TransformerAttention.ScaledDotProduct(q, k, v, causal ? TransformerAttention.CausalMask(t) : null);
            outT.shape.Should().Equal(2, t, dv);
            var o = outT.data<float>().ToArray();
            var qa = q.data<float>().ToArray(); var ka = k.data<float>().ToArray(); var va = v.data<float>().ToArray();
            for (int b = 0; b < 2; b++)
                for (int i = 0; i < t; i++)
                {
                    int last = causal ? i : t - 1;
                    var s = new double[last + 1];
                    for (int j = 0; j <= last; j++)
                    {
                        double dot = 0;
                        for (int c = 0; c < d; c++) dot += qa[(b * t + i) * d + c] * ka[(b * t + j) * d + c];
                        s[j] = dot / Math.Sqrt(d);
                    }
                    double max = s.Max(), z = s.Sum(x => Math.Exp(x - max));
                    for (int c = 0; c < dv; c++)
                    {
                        double expected = 0;
                        for (int j = 0; j <= last; j++) expected += Math.Exp(s[j] - max) / z * va[(b * t + j) * dv + c];
                        o[(b * t + i) * dv + c].Should().BeApproximately((float)expected, 1e-5f);
                    }
                }
        }
    }

    [Fact]
    public void Attention_weights_are_rows_of_probabilities_and_zero_on_the_future()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var attn = new TransformerAttention(16, 4, causal: true);
        var w = attn.AttentionWeights(randn([2, 6, 16], generator: Course.Generator(3)));
        w.shape.Should().Equal(2, 4, 6, 6);
        w.sum(-1).allclose(ones(2, 4, 6), atol: 1e-5).Should().BeTrue();
        w.masked_select(TransformerAttention.CausalMask(6).logical_not()).abs().max().item<float>().Should().Be(0f);
        w[0, 0, 0, 0].item<float>().Should().BeApproximately(1f, 1e-6f, "the first position can only see itself");
        FluentActions.Invoking(() => new TransformerAttention(10, 4, true)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*heads*");
    }

    static TransformerLanguageModel Small(bool causal, bool tied = true) =>
        new(new TransformerOptions(VocabSize: 20, ContextLength: 12, Dim: 32, Layers: 2, Heads: 4, Causal: causal, TiedOutput: tied), Course.Generator(11));

    [Fact]
    public void A_causal_model_ignores_the_future_and_a_bidirectional_one_does_not()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var a = randint(0, 20, [2, 10], dtype: ScalarType.Int64, generator: Course.Generator(1));
        var b = a.clone();
        b[.., 7] = (a[.., 7] + 1) % 20;                                    // change position 7 only
        foreach (bool causal in new[] { true, false })
        {
            var model = Small(causal);
            model.eval();
            using var _ = no_grad();
            var la = model.call(a);
            var lb = model.call(b);
            la.shape.Should().Equal(2, 10, 20);
            la[.., ..7].allclose(lb[.., ..7], atol: 1e-5).Should().Be(causal, causal ? "positions before 7 cannot see it" : "every position sees position 7");
            la[.., 7..].allclose(lb[.., 7..], atol: 1e-5).Should().BeFalse();
        }
    }

    [Fact]
    public void Positions_are_learned_embeddings_and_order_matters()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var model = Small(causal: false);
        model.named_parameters().Should().Contain(p => p.name == "wpe.weight" && p.parameter.shape.SequenceEqual(new long[] { 12, 32 }));
        model.eval();
        using var _ = no_grad();
        var x = tensor(new long[] { 3, 4, 5, 6 }).unsqueeze(0);
        var reversed = x.flip(1);
        // Without positions, self-attention is permutation-equivariant; learned positions break that.
        model.Hidden(reversed).flip(1).allclose(model.Hidden(x), atol: 1e-4).Should().BeFalse();
        FluentActions.Invoking(() => model.call(zeros(1, 13, dtype: ScalarType.Int64))).Should().Throw<ArgumentException>().WithMessage("*context length 12*");
    }

    [Fact]
    public void Tied_output_reuses_the_token_embedding()
    {
        Course.Init();
        using var scope = NewDisposeScope();
        var tied = Small(true, tied: true);
        var untied = Small(true, tied: false);
        (untied.ParameterCount - tied.ParameterCount).Should().Be(20 * 32);
        tied.named_parameters().Should().NotContain(p => p.name.StartsWith("lm_head"));
        tied.eval();
        using var _ = no_grad();
        var x = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        tied.call(x).allclose(tied.Hidden(x).matmul(tied.TokenEmbedding.t())).Should().BeTrue();
        FluentActions.Invoking(() => new TransformerOptions(20, 12, Dim: 30, Heads: 4).Validate()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Heads*");
    }

    [Fact]
    public void A_short_causal_training_run_learns_a_repeating_text()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var tok = CharTokenizer.FromText("abcdefg ");
        var stream = tok.EncodeTensor(string.Concat(Enumerable.Repeat("abc defg ", 40)));
        var model = new TransformerLanguageModel(new TransformerOptions(tok.VocabSize, 16, 32, 2, 4), Course.Generator(1));
        var opt = optim.AdamW(model.parameters(), 3e-3);
        var g = Course.Generator(2);
        var losses = new List<double>();
        for (int step = 0; step < 60; step++)
        {
            using var s = NewDisposeScope();
            var batch = TokenWindows.Sample(stream, 16, 16, g);
            var loss = LanguageModelLoss.Causal(model.call(batch), batch);
            opt.zero_grad(); loss.backward(); opt.step();
            losses.Add(loss.item<float>());
        }
        losses[0].Should().BeApproximately(Math.Log(tok.VocabSize), 0.3);
        losses.TakeLast(10).Average().Should().BeLessThan(0.5);
        var next = TextGeneration.Generate(model, tok.Encode("abc defg abc d"), 4, temperature: 0, Course.Generator(0));
        tok.Decode(next).Should().Be("efg ");
    }

    [Fact]
    public void The_classifier_fits_few_labels_and_can_freeze_the_body()
    {
        Course.Init(1);
        using var scope = NewDisposeScope();
        var body = Small(causal: false);
        var clf = new TransformerClassifier(body, 2, Course.Generator(3));
        // class 1 sequences contain token 5, class 0 sequences do not
        var x = randint(6, 20, [40, 8], dtype: ScalarType.Int64, generator: Course.Generator(4));
        var y = arange(40, dtype: ScalarType.Int64) % 2;
        x[TensorIndex.Tensor(y.eq(1)), 3] = tensor(5L);
        var before = body.TokenEmbedding.clone();
        var probe = ClassifierFineTune.Run(clf, x, y, new ClassifierFineTuneOptions { Steps = 5, BatchSize = 8, LearningRate = 1e-2, BodyLearningRate = 0, Seed = 5 }).Loss;
        probe.Should().HaveCount(5);
        body.TokenEmbedding.equal(before).all().item<bool>().Should().BeTrue("a body learning rate of 0 freezes the body");
        body.parameters().Should().OnlyContain(p => p.requires_grad);
        var losses = ClassifierFineTune.Run(clf, x, y, new ClassifierFineTuneOptions { Steps = 40, BatchSize = 16, LearningRate = 3e-3, BodyLearningRate = 3e-3, Seed = 5 }).Loss;
        losses.TakeLast(5).Average().Should().BeLessThan(losses[0]);
        clf.Accuracy(x, y).Should().BeGreaterThan(0.9);
        clf.Predict(x).shape.Should().Equal(40);
    }
}

using FluentAssertions;
using SslCourse.Evaluation;
using SslCourse.Pretraining;
using SslCourse.SemiSupervised;
using SslCourse.Training;
using Xunit;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

/// <summary>One options core for every trainer, one result type, and the loop's stop rule.</summary>
public class TrainingOptionsTests
{
    [Fact]
    public void Every_trainers_options_inherit_the_core_and_keep_their_defaults()
    {
        var all = typeof(TrainingOptions).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetProperty("Steps") is not null && t != typeof(TrainOptions))
            .ToList();
        all.Should().NotBeEmpty().And.OnlyContain(t => t.IsSubclassOf(typeof(TrainingOptions)) || t == typeof(TrainingOptions),
            "Steps, BatchSize, LearningRate, Seed and ShowProgress are declared once");
        var pretext = new PretextOptions();
        (pretext.Steps, pretext.BatchSize, pretext.LearningRate, pretext.ShowProgress).Should().Be((200, 64, 2e-3, true));
        var fine = new FineTuneOptions();
        (fine.Steps, fine.BatchSize, fine.LearningRate, fine.ShowProgress).Should().Be((200, 64, 1e-3, false));
        var self = new SelfTrainingOptions();
        (self.Steps, self.BatchSize, self.ShowProgress).Should().Be((100, 32, true));
        var cons = new ConsistencyOptions { Weak = (x, _) => x };
        (cons.Steps, cons.BatchSize, cons.LearningRate, cons.ShowProgress).Should().Be((150, 32, 1e-3, false));
        var probe = new LinearProbeOptions();
        (probe.Steps, probe.BatchSize, probe.LearningRate, probe.ShowProgress).Should().Be((0, 256, 1e-2, false));
        var pre = new PretrainOptions { Method = "simclr" };
        (pre.Steps, pre.BatchSize, pre.LearningRate, pre.ShowProgress).Should().Be((0, 128, 2e-3, true));
    }

    [Fact]
    public void Loop_carries_steps_title_and_display_and_bad_values_name_the_option()
    {
        var o = new FineTuneOptions { Title = "mine", ShowProgress = true };
        var loop = o.Loop("fine-tuning", 7);
        (loop.Steps, loop.Title, loop.ShowProgress).Should().Be((7, "mine", true));
        new PretextOptions().Loop("rotation", 3).Title.Should().Be("rotation");

        Course.Init(0);
        var x = rand(8, 4);
        var act = () => LinearProbe.Fit(x, zeros(8, dtype: ScalarType.Int64), 2, new LinearProbeOptions { BatchSize = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LinearProbeOptions.BatchSize*");
        var lr = () => LinearProbe.Fit(x, zeros(8, dtype: ScalarType.Int64), 2, new LinearProbeOptions { LearningRate = 0 });
        lr.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LinearProbeOptions.LearningRate*");
    }

    [Fact]
    public void A_schedule_in_the_options_sets_the_learning_rate_of_every_step_and_pretraining_rejects_it()
    {
        var cosine = new CosineSchedule(1e-3, 4);
        new SelfTrainingOptions { Schedule = cosine }.Loop("self-training", 4).Schedule.Should().BeSameAs(cosine);
        var expected = Enumerable.Range(0, 4).Select(cosine.At).ToList();
        expected[^1].Should().Be(0, "the cosine ends at 0");

        Course.Init(0);
        var world = new SslCourse.Data.ToyObjects(seed: 0, size: 16);
        var labelled = world.Train(40);
        var model = new SslCourse.Models.ConvClassifier(3, labelled.NumClasses, 0.25);
        var self = SelfTraining.Fit(model, labelled, null, null, new SelfTrainingOptions { Steps = 4, BatchSize = 8, Schedule = cosine, ShowProgress = false });
        self.LearningRate.Should().Equal(expected);
        var fix = ConsistencyTraining.FixMatchFit(model, labelled, world.Train(40).Images,
            new ConsistencyOptions { Steps = 4, BatchSize = 8, Weak = (x, _) => x, Schedule = cosine });
        fix.LearningRate.Should().Equal(expected);
        using var adam = optim.Adam(model.parameters(), lr: 5e-4);
        var constant = SelfTraining.Fit(model, adam, labelled, null, null, new SelfTrainingOptions { Steps = 3, BatchSize = 8, ShowProgress = false });
        constant.LearningRate.Should().BeEmpty("without a schedule the loop leaves the rate alone");
        adam.ParamGroups.Single().LearningRate.Should().Be(5e-4);
        var pretext = SslCourse.Pretraining.PretrainMethods.TrainPretext("colorization", new SslCourse.Models.ConvNet(3, 0.25), labelled.Images,
            new PretextOptions { Steps = 3, BatchSize = 8, Schedule = new ConstantSchedule(5e-4), ShowProgress = false });
        pretext.History.LearningRate.Should().Equal(5e-4, 5e-4, 5e-4);

        var pretrain = () => Pretrainer.Run(new PretrainOptions { Method = "simclr", Steps = 2, Minutes = null, Images = 32, BatchSize = 8, Width = 0.25, ShowProgress = false, Schedule = cosine });
        pretrain.Should().Throw<ArgumentException>().WithMessage("*PretrainOptions.Schedule*recipe*");
    }

    [Fact]
    public void StopWhen_ends_the_run_after_the_step_it_answers_true_and_epochs_are_counted()
    {
        Course.Init(0);
        var w = new TorchSharp.Modules.Parameter(zeros(1));
        var opt = optim.SGD([w], 0.1);
        var asked = new List<int>();
        var h = Trainer.Run(new TrainOptions { Steps = 20, ShowProgress = false, StepsPerEpoch = 4, StopWhen = i => { asked.Add(i); return i == 5; } },
            opt, _ => (w - 1).pow(2).sum());
        h.CompletedSteps.Should().Be(6);
        h.StoppedEarly.Should().BeTrue();
        h.Epochs.Should().Be(1.5);
        asked.Should().Equal(0, 1, 2, 3, 4, 5);

        var full = Trainer.Run(new TrainOptions { Steps = 3, ShowProgress = false, StopWhen = _ => true }, opt, _ => (w - 1).pow(2).sum());
        full.CompletedSteps.Should().Be(1);
        var last = Trainer.Run(new TrainOptions { Steps = 1, ShowProgress = false, StopWhen = _ => true }, opt, _ => (w - 1).pow(2).sum());
        last.StoppedEarly.Should().BeFalse("the last step ends the run anyway");
        double.IsNaN(last.Epochs).Should().BeTrue("nobody told the loop how long an epoch is");
    }
}

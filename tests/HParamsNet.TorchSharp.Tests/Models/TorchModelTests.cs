using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Estimators;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Tuning.CrossValidation;

namespace HParamsNet.TorchSharp.Tests.Models;

public class TorchModelTests
{
    // Two Gaussian blobs per class on a ring: not linearly separable, easy for a small MLP.
    private static TabularDataset Rings(int perClass, int seed)
    {
        var random = new Random(seed);
        var features = new List<float>();
        var labels = new List<float>();
        for (int label = 0; label < 2; label++)
        {
            for (int i = 0; i < perClass; i++)
            {
                double angle = random.NextDouble() * 2 * Math.PI;
                double radius = (label == 0 ? 1.0 : 3.0) + ((random.NextDouble() - 0.5) * 0.6);
                features.Add((float)(radius * Math.Cos(angle)));
                features.Add((float)(radius * Math.Sin(angle)));
                labels.Add(label);
            }
        }

        return new TabularDataset(features.ToArray(), 2, labels.ToArray(), ["inner", "outer"]);
    }

    private static ModelSpec SmallMlp(string optimizer = "adam") => ModelSpec.Sequential()
        .Dense(16, Activation.Tanh)
        .Dense(16, Activation.Relu)
        .Output(ModelTask.Binary)
        .Compile(optimizer, learningRate: 0.01);

    private static readonly FitOptions Quick = new() { Epochs = 40, BatchSize = 32, Seed = 7, Threads = 1 };

    [Test]
    public void A_small_mlp_learns_the_rings()
    {
        TabularDataset train = Rings(200, seed: 1);
        TabularDataset test = Rings(100, seed: 2);
        using TorchModel model = TorchModel.Build(SmallMlp(), 2, seed: 7);

        TrainingHistory history = model.Fit(train, Quick);
        Evaluation evaluation = model.Evaluate(test);

        Assert.That(history.Epochs, Has.Count.EqualTo(40));
        Assert.That(history.Last.Loss, Is.LessThan(history.Epochs[0].Loss / 4));
        Assert.That(evaluation.Metric, Is.GreaterThanOrEqualTo(0.97));
        Assert.That(evaluation.MetricName, Is.EqualTo("accuracy"));
    }

    [Test]
    public void Same_seed_gives_the_same_metrics_and_another_seed_does_not()
    {
        TabularDataset train = Rings(100, seed: 1);
        ModelSpec spec = SmallMlp().Dropout(0.1).Output(ModelTask.Binary);

        TrainingHistory Run(int seed)
        {
            using TorchModel model = TorchModel.Build(spec, 2, seed);
            return model.Fit(train, new FitOptions { Epochs = 5, Seed = seed, Threads = 1 });
        }

        var first = Run(3).Epochs.Select(e => (e.Loss, e.Metric)).ToList();
        var again = Run(3).Epochs.Select(e => (e.Loss, e.Metric)).ToList();
        var other = Run(4).Epochs.Select(e => (e.Loss, e.Metric)).ToList();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Multi_class_digits_mlp_reaches_high_accuracy()
    {
        (TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(0.2, 0);
        var scaler = Standardizer.Fit(train);
        ModelSpec spec = ModelSpec.Sequential().Dense(32, "relu").Output(ModelTask.MultiClass(10)).Compile("adam");
        using TorchModel model = TorchModel.Build(spec, 64, seed: 0);

        model.Fit(scaler.Transform(train), new FitOptions { Epochs = 10, Threads = 1 });

        Assert.That(model.Evaluate(scaler.Transform(test)).Metric, Is.GreaterThanOrEqualTo(0.93));
        Assert.That(model.Predict(scaler.Transform(test)).Distinct().Count(), Is.EqualTo(10));
    }

    [Test]
    public void Regression_reports_mean_absolute_error()
    {
        var random = new Random(0);
        float[] x = Enumerable.Range(0, 400).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] y = x.Select(v => (2 * v) + 1).ToArray();
        var data = new TabularDataset(x, 1, y);
        ModelSpec spec = ModelSpec.Sequential().Dense(8, Activation.Linear).Output(ModelTask.Regression).Compile("adam", 0.05);
        using TorchModel model = TorchModel.Build(spec, 1, seed: 0);

        model.Fit(data, new FitOptions { Epochs = 30, Threads = 1 });
        Evaluation evaluation = model.Evaluate(data);

        Assert.That(evaluation.MetricName, Is.EqualTo("mae"));
        Assert.That(evaluation.Metric, Is.LessThan(0.05));
        Assert.That(TorchEstimator.Score(model, data), Is.EqualTo(-evaluation.Metric));
    }

    [TestCase("adam")]
    [TestCase("sgd")]
    [TestCase("rmsprop")]
    [TestCase("AdamW")]
    public void Every_optimizer_by_name_trains(string optimizer)
    {
        using TorchModel model = TorchModel.Build(SmallMlp(optimizer), 2, seed: 1);

        TrainingHistory history = model.Fit(Rings(100, 1), new FitOptions { Epochs = 5, Threads = 1 });

        Assert.That(history.Last.Loss, Is.LessThan(history.Epochs[0].Loss));
    }

    [Test]
    public void Bad_descriptions_and_data_are_named()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => ModelSpec.Sequential().Compile("adagrad"))!.Message, Does.Contain("'adagrad'").And.Contain("adam, sgd, rmsprop, adamw"));
        Assert.That(Assert.Throws<ArgumentException>(() => ModelSpec.Sequential().Dense(4, "gelu"))!.Message, Does.Contain("'gelu'"));
        Assert.That(Assert.Throws<ArgumentException>(() => TorchModel.Build(ModelSpec.Sequential().Dense(4), 2))!.Message, Does.Contain("no output layer"));
        using TorchModel model = TorchModel.Build(SmallMlp(), 3);
        Assert.That(Assert.Throws<ArgumentException>(() => model.Fit(Rings(10, 1), Quick))!.Message, Does.Contain("takes 3 features; this data has 2"));
    }

    [Test]
    public void The_estimator_fits_and_scores_with_epochs_and_batch_size_as_hparams()
    {
        var estimator = new TorchEstimator(
            hparams => ModelSpec.Sequential().Dense(Convert.ToInt32(hparams["units"]), Activation.Tanh).Output(ModelTask.Binary).Compile("adam", 0.01),
            new FitOptions { Epochs = 1, Threads = 1 });
        var hparams = new Dictionary<string, object> { ["units"] = 16, ["epochs"] = 30, ["batch_size"] = 16 };
        var counter = new EpochCounter();

        using TorchModel model = estimator.Fit(Rings(150, 1), hparams, [counter]);
        double score = TorchEstimator.Score(model, Rings(100, 2));

        Assert.That(counter.Epochs, Is.EqualTo(30));
        Assert.That(score, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(estimator.FitAndScore(Rings(150, 1), Rings(100, 2), hparams), Is.EqualTo(score), "deterministic");
        Assert.That(Assert.Throws<ArgumentException>(() => estimator.Fit(Rings(10, 1), new Dictionary<string, object> { ["units"] = 4, ["epochs"] = 2.5 }))!.Message, Does.Contain("'epochs'"));
    }

    [Test]
    public void A_cross_validation_fold_standardises_with_its_training_rows_only()
    {
        TabularDataset data = Datasets.LoadBreastCancer();
        CrossValidationFold fold = new StratifiedKFold(3, shuffle: true, seed: 0).Split(data.Count, data.Labels)[1];
        var estimator = new TorchEstimator(_ => ModelSpec.Sequential().Dense(8).Output(ModelTask.Binary).Compile("adam", 0.01), new FitOptions { Epochs = 10, Threads = 1 });
        var hparams = new Dictionary<string, object>();

        double viaFold = estimator.FitAndScoreFold(data, fold, hparams);
        TabularDataset train = data.Select(fold.TrainIndices);
        var scaler = Standardizer.Fit(train);
        double byHand = estimator.FitAndScore(scaler.Transform(train), scaler.Transform(data.Select(fold.TestIndices)), hparams);

        Assert.That(viaFold, Is.EqualTo(byHand));
        Assert.That(viaFold, Is.GreaterThan(0.8));
    }

    private sealed class EpochCounter : IFitCallback
    {
        public int Epochs { get; private set; }

        public void OnTrainBegin() => Epochs = 0;

        public void OnEpochEnd(EpochResult result) => Epochs++;

        public void OnTrainEnd(SessionStatus status)
        {
        }
    }
}

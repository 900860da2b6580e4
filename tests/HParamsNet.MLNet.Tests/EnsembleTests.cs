using HParamsNet.Tests.Common;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet.Tests;

public class EnsembleSelectionTests
{
    [Test]
    public void Two_models_wrong_on_different_rows_are_averaged_and_a_useless_one_is_left_out()
    {
        // Rows 0-1 are class 1, rows 2-3 class 0. A is wrong on row 0, B on row 3, both right and
        // sure elsewhere; the third is a coin. Their average is right on every row.
        float[] labels = [1, 1, 0, 0];
        float[][] a = [[0.3f], [0.95f], [0.05f], [0.05f]];
        float[][] b = [[0.95f], [0.95f], [0.05f], [0.7f]];
        float[][] coin = [[0.5f], [0.5f], [0.5f], [0.5f]];

        int[] counts = EnsembleSelection.Select([coin, a, b], labels, MLTask.BinaryClassification, steps: 10);

        Assert.That(counts, Is.EqualTo(new[] { 0, 1, 1 }), "A + B is right everywhere; more of both in equal parts is no better, so not kept");
    }

    [Test]
    public void The_first_step_is_the_best_model_alone_and_regression_uses_the_mean_value()
    {
        float[] labels = [1, 2, 3];
        float[][] low = [[0f], [1f], [2f]];
        float[][] high = [[2f], [3f], [4f]];
        float[][] close = [[1.2f], [2.2f], [3.2f]];

        Assert.Multiple(() =>
        {
            Assert.That(EnsembleSelection.Select([low, high, close], labels, MLTask.Regression, steps: 1), Is.EqualTo(new[] { 0, 0, 1 }));
            Assert.That(EnsembleSelection.Select([low, high], labels, MLTask.Regression, steps: 2), Is.EqualTo(new[] { 1, 1 }), "low + high average to the labels");
        });
    }

    [Test]
    public void Multiclass_loss_reads_the_probability_of_each_rows_class()
    {
        float[] labels = [0, 2];
        float[][] right = [[0.8f, 0.1f, 0.1f], [0.1f, 0.1f, 0.8f]];
        float[][] wrong = [[0.1f, 0.8f, 0.1f], [0.8f, 0.1f, 0.1f]];

        Assert.That(EnsembleSelection.Select([wrong, right], labels, MLTask.MulticlassClassification, steps: 3), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void A_forced_step_that_makes_the_average_worse_is_not_kept()
    {
        float[] labels = [1, 2, 3];
        float[][] exact = [[1f], [2f], [3f]];
        float[][] off = [[1.5f], [2.5f], [3.5f]];

        // Every step after the first can only add "off" (or "exact" again, which changes nothing):
        // the best is the first.
        Assert.That(EnsembleSelection.Select([off, exact], labels, MLTask.Regression, steps: 5), Is.EqualTo(new[] { 0, 1 }));
    }
}

[Category(TestCategories.Integration)]
public class MLNetEnsembleTests
{
    [TestCase(MLTask.BinaryClassification)]
    [TestCase(MLTask.MulticlassClassification)]
    [TestCase(MLTask.Regression)]
    public async Task The_ensemble_scores_like_a_model_and_saves_and_loads_to_the_same_predictions(MLTask task)
    {
        using var dir = new TempDirectory();
        (TabularData train, TabularData test) = Data.For(task, rows: 200).Split(testFraction: 0.25, seed: 3);
        MLNetTuningResult result = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 8, Folds = 2, Seed = 5, EnsembleSize = 10 });
        MLNetEnsemble ensemble = result.Ensemble!;

        var ml = new MLContext(0);
        IDataView rows = test.ToDataView(ml);
        string objective = TaskMetrics.For(task)[0].Tag;
        double score = TaskMetrics.Evaluate(ml, task, ensemble, rows)[objective];
        string path = Path.Combine(dir.Path, "ensemble.zip");
        using (FileStream file = File.Create(path))
        {
            ensemble.Save(train.ToDataView(ml).Schema, file);
        }

        MLNetEnsemble loaded;
        using (FileStream file = File.OpenRead(path))
        {
            loaded = MLNetEnsemble.Load(ml, file, out _);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ensemble.Members.Sum(m => m.Weight), Is.EqualTo(1).Within(1e-12));
            Assert.That(ensemble.Members.Select(m => m.Trial), Is.Unique.And.SubsetOf(result.Study.Trials.Select(t => t.Number)));
            Assert.That(result.Fits, Is.EqualTo((8 * 2) + 1 + ensemble.Members.Count(m => m.Trial != result.Study.BestTrial!.Number)));
            Assert.That(score, Is.GreaterThan(0).And.LessThan(double.PositiveInfinity), "the evaluator reads the ensemble's columns");
            Assert.That(loaded.Members.Select(m => (m.Trial, m.Weight)), Is.EqualTo(ensemble.Members.Select(m => (m.Trial, m.Weight))));
            Assert.That(TaskMetrics.Evaluate(ml, task, loaded, rows)[objective], Is.EqualTo(score), "the loaded ensemble predicts the same");
            Assert.That(() => ml.Model.Save(ensemble, rows.Schema, Stream.Null), Throws.TypeOf<NotSupportedException>().With.Message.Contains("MLNetEnsemble.Save"));
        });
    }

    [Test]
    public async Task A_multiclass_ensemble_averages_class_probabilities_in_class_order()
    {
        using var dir = new TempDirectory();
        TabularData train = Data.For(MLTask.MulticlassClassification, rows: 200);
        MLNetTuningResult result = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 6, Folds = 2, Seed = 1, EnsembleSize = 6 });

        var ml = new MLContext(0);
        IDataView scored = result.Ensemble!.Transform(train.ToDataView(ml));
        float[][] scores = [.. scored.GetColumn<VBuffer<float>>("Score").Select(s => s.DenseValues().ToArray())];
        uint[] predicted = [.. scored.GetColumn<uint>("PredictedLabel")];
        float[] labels = [.. scored.GetColumn<float>("Label")];
        float[] classes = [.. ml.Transforms.Conversion.MapKeyToValue("Class", "PredictedLabel").Fit(scored).Transform(scored).GetColumn<float>("Class")];

        Assert.Multiple(() =>
        {
            Assert.That(scores.Select(s => s.Sum()), Has.All.EqualTo(1).Within(1e-4), "probabilities");
            Assert.That(predicted.Select((p, r) => p - 1 == Array.IndexOf(scores[r], scores[r].Max())), Has.All.True, "the key of the largest");
            Assert.That(classes, Is.EqualTo(predicted.Select(p => (float)(p - 1))), "MapKeyToValue gives the class");
            Assert.That(labels.Where((l, r) => predicted[r] - 1 == l).Count(), Is.GreaterThan(labels.Length * 0.8), "slot k is class k: the classes it predicts are mostly right on rows it saw");
        });
    }

    [Test]
    public async Task A_prediction_engine_reads_one_row_as_the_data_view_does()
    {
        using var dir = new TempDirectory();
        TabularData train = Data.For(MLTask.BinaryClassification, rows: 120);
        MLNetTuningResult result = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 5, Folds = 2, Seed = 2, EnsembleSize = 8 });

        var ml = new MLContext(0);
        IDataView rows = train.ToDataView(ml);
        float[] viaView = [.. result.Ensemble!.Transform(rows).GetColumn<float>("Probability").Take(3)];
        float[][] features = [.. rows.GetColumn<float[]>("Features").Take(3)];
        PredictionEngine<Row, Prediction> engine = ml.Model.CreatePredictionEngine<Row, Prediction>(result.Ensemble, inputSchemaDefinition: RowSchema(train.FeatureCount));

        Assert.That(features.Select(f => engine.Predict(new Row { Features = f }).Probability), Is.EqualTo(viaView));
    }

    [Test]
    public async Task A_resumed_study_ensembles_only_the_trials_whose_folds_this_run_saw()
    {
        using var dir = new TempDirectory();
        TabularData train = Data.For(MLTask.Regression, rows: 120);
        await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 4, Folds = 2, Seed = 2 });

        MLNetTuningResult resumed = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 7, Folds = 2, Seed = 2 });

        Assert.That(resumed.Study.Trials, Has.Count.EqualTo(7));
        Assert.That(resumed.Ensemble!.Members.Select(m => m.Trial), Has.All.GreaterThan(4));
    }

    [Test]
    public async Task With_no_ensemble_asked_for_there_is_none_and_only_the_refit_is_added()
    {
        using var dir = new TempDirectory();
        MLNetTuningResult result = await MLNetTuner.TuneAsync(Data.For(MLTask.Regression, rows: 80), new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 3, Folds = 2, EnsembleSize = 0 });

        Assert.That((result.Ensemble, result.Fits), Is.EqualTo(((MLNetEnsemble?)null, (3 * 2) + 1)));
    }

    [Test]
    public void Loading_a_zip_that_is_not_an_ensemble_says_what_it_is_and_what_to_use()
    {
        var ml = new MLContext(0);
        TabularData train = Data.For(MLTask.Regression, rows: 60);
        IDataView rows = train.ToDataView(ml);
        using var single = new MemoryStream();
        ml.Model.Save(TrainerSpaces.Default(ml, MLTask.Regression, "sdca").Fit(rows), rows.Schema, single);
        single.Position = 0;

        Assert.That(() => MLNetEnsemble.Load(ml, single, out _), Throws.TypeOf<InvalidDataException>().With.Message.Contains("not an ensemble").And.Message.Contains("MLContext.Model.Load"));
    }

    private static SchemaDefinition RowSchema(int features)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}

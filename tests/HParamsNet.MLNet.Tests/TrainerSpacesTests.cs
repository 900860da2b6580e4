using HParamsNet.Tuning.Strategies;
using Microsoft.ML;

namespace HParamsNet.MLNet.Tests;

public class TrainerSpacesTests
{
    private static readonly MLTask[] Tasks = [MLTask.BinaryClassification, MLTask.MulticlassClassification, MLTask.Regression];

    public static IEnumerable<TestCaseData> TrainersAndTasks() =>
        from task in Tasks from trainer in TrainerSpaces.Trainers select new TestCaseData(task, trainer).SetArgDisplayNames(task.ToString(), trainer);

    /// <summary>The defaults, and every tuned hparam at both ends of its domain, build a pipeline that fits and scores.</summary>
    [TestCaseSource(nameof(TrainersAndTasks))]
    public void Every_trainer_builds_a_pipeline_that_fits_at_its_defaults_and_at_both_ends_of_each_range(MLTask task, string trainer)
    {
        TabularData data = Data.For(task, rows: 120);
        IReadOnlyList<HParam> own = [.. TrainerSpaces.Space([trainer]).Where(h => h.Condition?.Parent == TrainerSpaces.OptionsName(trainer))];
        var configurations = new List<Dictionary<string, object>>
        {
            new() { [TrainerSpaces.Trainer] = trainer, [TrainerSpaces.OptionsName(trainer)] = TrainerSpaces.DefaultOptions },
        };
        foreach (bool low in new[] { true, false })
        {
            var configuration = new Dictionary<string, object> { [TrainerSpaces.Trainer] = trainer, [TrainerSpaces.OptionsName(trainer)] = TrainerSpaces.TunedOptions };
            foreach (HParam hparam in own)
            {
                configuration[hparam.Name] = new GridSearch().Points(hparam.Domain)[low ? 0 : ^1];
            }

            configurations.Add(configuration);
        }

        foreach (Dictionary<string, object> configuration in configurations)
        {
            var ml = new MLContext(0);
            ITransformer model = TrainerSpaces.Build(ml, task, configuration).Fit(data.ToDataView(ml));
            IReadOnlyDictionary<string, double> scores = TaskMetrics.Evaluate(ml, task, model, data.ToDataView(ml));

            Assert.That(scores.Keys, Is.EquivalentTo(TaskMetrics.For(task).Select(m => m.Tag)));
            Assert.That(scores[TaskMetrics.For(task)[0].Tag], Is.Not.NaN, string.Join(", ", configuration.Select(p => $"{p.Key}={p.Value}")));
        }
    }

    [Test]
    public void The_space_is_conditional_on_the_trainer_and_its_options_with_log_scales_for_counts_and_rates()
    {
        IReadOnlyList<HParam> space = TrainerSpaces.Space();

        Assert.That(space[0].Name, Is.EqualTo("trainer"));
        Assert.That(space.Single(h => h.Name == "lightgbm_options").Condition, Is.EqualTo(new HParamCondition("trainer", "lightgbm")));
        Assert.That(space.Single(h => h.Name == "lgbm_leaves").Condition, Is.EqualTo(new HParamCondition("lightgbm_options", "tuned")));
        Assert.That(space.Where(h => h.Name.EndsWith("_trees", StringComparison.Ordinal) || h.Name.EndsWith("learning_rate", StringComparison.Ordinal)).Select(h => h.Domain),
            Has.All.Matches<Domain>(d => d is IntInterval { Log: true } or RealInterval { Log: true }));
        Assert.That(() => TrainerSpaces.Space(["xgboost"]), Throws.ArgumentException.With.Message.Contains("Trainer 'xgboost' is not one of fastforest, fasttree, lightgbm, sdca"));
    }

    [Test]
    public void Cross_validating_a_default_gives_every_metric_averaged_over_the_folds()
    {
        TabularData data = Data.For(MLTask.Regression, rows: 120);

        IReadOnlyDictionary<string, double> scores = MLNetTuner.CrossValidate(data, ml => TrainerSpaces.Default(ml, MLTask.Regression, "sdca"), folds: 3, seed: 0);

        Assert.That(scores.Keys, Is.EquivalentTo(new[] { "rmse", "mae", "r2" }));
        Assert.That(scores["rmse"], Is.GreaterThan(scores["mae"]).And.LessThan(200), "RMSE >= MAE, on a target of 25 to 346");
    }

    [Test]
    public void A_table_refuses_labels_that_are_not_classes_and_reads_csv_headers()
    {
        Assert.That(() => new TabularData(MLTask.BinaryClassification, [[1f], [2f]], [0f, 2f]), Throws.ArgumentException.With.Message.Contains("Label 2 is not a class of a BinaryClassification task"));
        Assert.That(() => new TabularData(MLTask.Regression, [[1f], [2f, 3f]], [0f, 1f]), Throws.ArgumentException.With.Message.Contains("Rows have 1 features and 2"));
        TabularData read = TabularData.ReadCsv(MLTask.Regression, new StringReader("a,b,y\n1,2,3\n4,5,6\n"));
        Assert.That((read.Rows, read.FeatureCount), Is.EqualTo((2, 2)));
        Assert.That(() => TabularData.ReadCsv(MLTask.Regression, new StringReader("1,2,3\n4,x,6\n")), Throws.TypeOf<FormatException>().With.Message.EqualTo("Line 2, column 2: 'x' is not a number."));
    }
}

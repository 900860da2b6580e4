using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using Microsoft.ML;

namespace HParamsNet.MLNet.Tests;

/// <summary>A fitted classifier's PR curves and confusion matrix, written for TensorBoard.</summary>
public class ModelEvaluationWriterTests
{
    [TestCase(MLTask.BinaryClassification, 1)]
    [TestCase(MLTask.MulticlassClassification, 10)]
    public void A_classifier_gets_a_pr_curve_per_class_and_its_confusion_matrix(MLTask task, int curves)
    {
        using var dir = new TempDirectory();
        (TabularData train, TabularData test) = Data.For(task, rows: 300).Split(0.3, seed: 0);
        var ml = new MLContext(0);
        ITransformer model = TrainerSpaces.Default(ml, task, "lightgbm").Fit(train.ToDataView(ml));

        ModelEvaluationWriter.Write(model, test, dir.Path);

        RunDashboards run = DashboardReader.Read(dir.Path);
        Assert.That(run.PrCurves, Has.Count.EqualTo(curves));
        PrCurveValue first = run.PrCurves.OrderBy(c => c.Key, StringComparer.Ordinal).Last().Value.Single();
        Assert.That(first.TruePositives[0] + first.FalseNegatives[0], Is.EqualTo(test.Classes!.Count(c => c == (curves == 1 ? 1 : 9))), "every example of the class counted");
        Assert.That(run.Images["confusion_matrix"].Single().Width, Is.EqualTo(24 * (curves == 1 ? 2 : 10)));
        Assert.That(run.Texts["confusion_matrix_table"].Single().Markdown, Does.Contain("class_0"));
    }

    [Test]
    public void A_regression_has_no_classes_to_judge()
    {
        using var dir = new TempDirectory();
        (TabularData train, TabularData test) = Data.For(MLTask.Regression, rows: 100).Split(0.3, seed: 0);
        var ml = new MLContext(0);
        ITransformer model = TrainerSpaces.Default(ml, MLTask.Regression, "sdca").Fit(train.ToDataView(ml));

        Assert.That(() => ModelEvaluationWriter.Write(model, test, dir.Path), Throws.InvalidOperationException.With.Message.Contains("no classes"));
        Assert.That(Directory.Exists(dir.Path) && Directory.EnumerateFiles(dir.Path).Any(), Is.False, "nothing written");
    }
}

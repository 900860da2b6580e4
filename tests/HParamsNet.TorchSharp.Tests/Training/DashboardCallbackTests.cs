using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;

namespace HParamsNet.TorchSharp.Tests.Training;

/// <summary>What a fit writes besides the curves: weight and gradient histograms, PR curves and the confusion matrix.</summary>
public class DashboardCallbackTests
{
    private static (TabularDataset Train, TabularDataset Validation) Data(TabularDataset all)
    {
        (TabularDataset train, TabularDataset validation) = all.StratifiedSplit(0.25, 0);
        var scaler = Standardizer.Fit(train);
        return (scaler.Transform(train), scaler.Transform(validation));
    }

    [Test]
    public void A_binary_classifier_writes_histograms_per_parameter_and_its_pr_curve_and_confusion_matrix()
    {
        using var dir = new TempDirectory();
        (TabularDataset train, TabularDataset validation) = Data(Datasets.LoadBreastCancer());
        using TorchModel model = TorchModel.Build(ModelSpec.Sequential().Dense(8).Output(ModelTask.Binary), train.Columns);

        model.Fit(train, new FitOptions
        {
            Epochs = 3,
            Seed = 0,
            Callbacks = [new TensorBoardCallback(dir.Path) { HistogramFrequency = 1, ClassificationData = validation, ClassificationFrequency = 2, Epochs = 3 }],
        }, validation);

        RunDashboards trained = DashboardReader.Read(Path.Combine(dir.Path, "train"));
        RunDashboards judged = DashboardReader.Read(Path.Combine(dir.Path, "validation"));
        string[] parameters = [.. model.Parameters().Select(p => p.Name)];
        Assert.That(trained.Histograms.Keys, Is.EquivalentTo(parameters.Select(p => $"weights/{p}").Concat(parameters.Select(p => $"gradients/{p}"))));
        Assert.That(trained.Histograms[$"weights/{parameters[0]}"].Select(h => h.Step), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(trained.Histograms[$"weights/{parameters[0]}"][^1].Buckets.Sum(b => b.Count), Is.EqualTo(model.Parameters()[0].Values.Length), "every weight counted");
        Assert.That(judged.PrCurves.Keys, Is.EqualTo(new[] { $"pr_curve/{validation.ClassNames[1]}" }), "a binary model: the positive class's curve");
        Assert.That(judged.PrCurves.Values.Single().Select(c => c.Step), Is.EqualTo(new long[] { 1, 2 }), "every second epoch, and the last");
        Assert.That(judged.PrCurves.Values.Single()[0].TruePositives[0], Is.EqualTo(validation.Labels.Count(l => l == 1)), "every positive counted at the lowest threshold");
        ImagesValue picture = judged.Images["confusion_matrix"][^1];
        Assert.That((picture.Width, picture.Height), Is.EqualTo((48, 48)), "2 classes, 24 pixels a cell");
        Assert.That(judged.Texts["confusion_matrix_table"][^1].Markdown, Does.StartWith("| true \\ predicted |"));
    }

    [Test]
    public void A_multiclass_classifier_writes_a_pr_curve_per_class()
    {
        using var dir = new TempDirectory();
        (TabularDataset train, TabularDataset validation) = Data(Datasets.LoadDigits());
        using TorchModel model = TorchModel.Build(ModelSpec.Sequential().Dense(8).Output(ModelTask.MultiClass(10)), train.Columns);

        model.Fit(train, new FitOptions { Epochs = 2, Seed = 0, Callbacks = [new TensorBoardCallback(dir.Path) { ClassificationData = validation, Epochs = 2 }] });

        RunDashboards judged = DashboardReader.Read(Path.Combine(dir.Path, "validation"));
        Assert.That(judged.PrCurves.Keys, Is.EquivalentTo(validation.ClassNames.Select(c => $"pr_curve/{c}")));
        Assert.That(judged.Images["confusion_matrix"][0].Width, Is.EqualTo(240), "10 classes, 24 pixels a cell");
    }
}

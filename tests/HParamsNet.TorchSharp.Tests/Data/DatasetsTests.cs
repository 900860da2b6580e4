using HParamsNet.TorchSharp.Data;

namespace HParamsNet.TorchSharp.Tests.Data;

public class DatasetsTests
{
    [Test]
    public void Digits_has_1797_images_of_64_pixels_in_ten_classes()
    {
        TabularDataset digits = Datasets.LoadDigits();

        Assert.That(digits.Count, Is.EqualTo(1797));
        Assert.That(digits.Columns, Is.EqualTo(64));
        Assert.That(digits.ClassNames, Has.Count.EqualTo(10));
        Assert.That(digits.Labels.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(digits.Features.ToArray().Max(), Is.EqualTo(16f));
        Assert.That(digits.Features[..8].ToArray(), Is.EqualTo(new float[] { 0, 0, 5, 13, 9, 1, 0, 0 }));
    }

    [Test]
    public void Breast_cancer_has_569_tumours_with_30_features()
    {
        TabularDataset data = Datasets.LoadBreastCancer();

        Assert.That(data.Count, Is.EqualTo(569));
        Assert.That(data.Columns, Is.EqualTo(30));
        Assert.That(data.ClassNames, Is.EqualTo(new[] { "malignant", "benign" }));
        Assert.That(data.Labels.Count(l => l == 0), Is.EqualTo(212));
        Assert.That(data.Features[0], Is.EqualTo(17.99f));
    }

    [Test]
    public void Stratified_split_keeps_class_proportions_and_every_row_once()
    {
        TabularDataset data = Datasets.LoadBreastCancer();

        (TabularDataset train, TabularDataset test) = data.StratifiedSplit(0.2, seed: 1);

        Assert.That(train.Count + test.Count, Is.EqualTo(569));
        Assert.That(test.Labels.Count(l => l == 0), Is.EqualTo(42), "round(212 * 0.2)");
        Assert.That(test.Labels.Count(l => l == 1), Is.EqualTo(71), "round(357 * 0.2)");
        var rows = train.Features.ToArray().Chunk(30).Concat(test.Features.ToArray().Chunk(30)).Select(r => string.Join(',', r)).ToHashSet();
        Assert.That(rows, Has.Count.EqualTo(data.Features.ToArray().Chunk(30).Select(r => string.Join(',', r)).Distinct().Count()));
    }

    [Test]
    public void Same_seed_same_split()
    {
        TabularDataset data = Datasets.LoadDigits();
        int[] first = data.StratifiedSplit(0.25, 3).Test.Labels;
        int[] again = data.StratifiedSplit(0.25, 3).Test.Labels;
        int[] other = data.StratifiedSplit(0.25, 4).Test.Labels;

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Standardizer_centres_and_scales_with_training_statistics()
    {
        (TabularDataset train, TabularDataset test) = Datasets.LoadBreastCancer().StratifiedSplit(0.2, 0);
        var scaler = Standardizer.Fit(train);

        TabularDataset scaled = scaler.Transform(train);
        float[][] columns = Enumerable.Range(0, 30).Select(c => scaled.Features.ToArray().Where((_, i) => i % 30 == c).ToArray()).ToArray();

        Assert.That(columns.Select(c => Math.Abs(c.Average())), Has.All.LessThan(1e-4));
        Assert.That(columns.Select(c => Math.Sqrt(c.Average(v => v * v))), Has.All.EqualTo(1).Within(1e-3));
        Assert.That(Assert.Throws<ArgumentException>(() => scaler.Transform(Datasets.LoadDigits()))!.Message, Does.Contain("30 features"));
    }

    [Test]
    public void Bad_csv_lines_are_named()
    {
        var error = Assert.Throws<InvalidDataException>(() => Datasets.Parse(new StringReader("2,1,a,b\n1.5,0\nx,1\n"), header: true, classNames: null))!;

        Assert.That(error.Message, Does.Contain("Line 3").And.Contain("'x'"));
    }

    [Test]
    public void Labels_outside_the_classes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new TabularDataset([1f, 2f], 1, [0f, 2f], ["a", "b"]))!;

        Assert.That(error.Message, Does.Contain("Row 1").And.Contain("label 2"));
    }
}

using FsCheck;
using FsCheck.Fluent;
using HParamsNet;
using HParamsNet.Tuning.CrossValidation;

namespace HParamsNet.Tests.Tuning;

public class CrossValidationTests
{
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property KFold_partitions_rows_into_folds_of_near_equal_size(PositiveInt extraRows, byte foldSeed, bool shuffle, int seed)
    {
        int folds = 2 + (foldSeed % 8);
        int rows = folds + (extraRows.Get % 500);
        var splits = new KFold(folds, shuffle, seed).Split(rows);

        bool partition = splits.SelectMany(s => s.TestIndices).Order().SequenceEqual(Enumerable.Range(0, rows));
        bool disjoint = splits.All(s => !s.TrainIndices.Intersect(s.TestIndices).Any() && s.TrainIndices.Count + s.TestIndices.Count == rows);
        bool sizes = splits.Max(s => s.TestIndices.Count) - splits.Min(s => s.TestIndices.Count) <= 1;
        return (partition && disjoint && sizes && splits.Count == folds).ToProperty();
    }

    [Test]
    public void KFold_without_shuffle_cuts_consecutive_blocks_like_scikit_learn()
    {
        var splits = new KFold(3).Split(10);

        Assert.That(splits.Select(s => s.TestIndices), Is.EqualTo(new[] { new[] { 0, 1, 2, 3 }, new[] { 4, 5, 6 }, new[] { 7, 8, 9 } }));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Stratified_folds_keep_each_class_balanced(PositiveInt perClassA, PositiveInt perClassB, int seed)
    {
        int a = 3 + (perClassA.Get % 100);
        int b = 3 + (perClassB.Get % 100);
        int[] labels = [.. Enumerable.Repeat(0, a), .. Enumerable.Repeat(1, b)];
        new Random(seed).Shuffle(labels);
        var splits = new StratifiedKFold(3, shuffle: true, seed).Split(labels.Length, labels);

        bool balanced = splits.All(s =>
            Math.Abs(s.TestIndices.Count(i => labels[i] == 0) - (a / 3.0)) < 1
            && Math.Abs(s.TestIndices.Count(i => labels[i] == 1) - (b / 3.0)) < 1);
        bool partition = splits.SelectMany(s => s.TestIndices).Order().SequenceEqual(Enumerable.Range(0, labels.Length));
        return (balanced && partition).ToProperty();
    }

    [Test]
    public void Too_few_rows_or_labels_are_clear_errors()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new KFold(5).Split(3))!.Message, Does.Contain("3 rows into 5 folds"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StratifiedKFold(3).Split(4, [0, 0, 1, 1]))!.Message, Does.Contain("Class 0 has 2 rows"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StratifiedKFold(2).Split(4, [0, 1]))!.Message, Does.Contain("2 labels for 4 rows"));
    }
}

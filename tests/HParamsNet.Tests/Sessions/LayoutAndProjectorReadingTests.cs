using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Sessions;

/// <summary>
/// The Custom Scalars layout and the projector's embeddings read back: from the files PyTorch's
/// writer made (Assets/projector) and from ours, and a projector config in any text-format shape.
/// </summary>
public class LayoutAndProjectorReadingTests
{
    private static readonly string Goldens = Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "projector", "logdir");

    private static readonly float[][] GoldenVectors =
    [
        [-0.385f, 0.49564f, 0.93412f, 0.16486f], [1.42138f, -0.34186f, 0.53248f, 1.29083f], [-0.02054f, 0.02627f, 1.15549f, -0.74826f],
        [-1.74869f, -0.60652f, 0.16284f, -0.03815f], [-0.41541f, 1.25404f, -0.71063f, 2.4658f],
    ];

    [Test]
    public void Pytorchs_layout_and_embeddings_read_as_written()
    {
        RunDashboards run = DashboardReader.Read(Goldens);

        CustomScalarCategory training = run.CustomScalars!.Categories.Single();
        Assert.That(training.Title, Is.EqualTo("Training"));
        Assert.That(Describe(training.Charts), Is.EquivalentTo(new[] { "loss: loss/train, loss/validation", "accuracy: accuracy/mean [accuracy/low, accuracy/high]" }));

        Assert.That(run.Embeddings.Select(e => e.TensorName), Is.EqualTo(new[] { "animals:00000", "columns:00003" }));
        EmbeddingInfo animals = run.Embeddings[0];
        Assert.That(animals.TensorPath, Is.EqualTo(Path.Combine(Goldens, "00000", "animals", "tensors.tsv")));
        Assert.That(animals.MetadataPath, Is.EqualTo(Path.Combine(Goldens, "00000", "animals", "metadata.tsv")));
        Assert.That(animals.SpriteImagePath, Is.EqualTo(Path.Combine(Goldens, "00000", "animals", "sprite.png")));
        Assert.That(animals.SpriteImageDim, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(animals.ReadVectors(), Is.EqualTo(GoldenVectors));
        Assert.That((run.Embeddings[1].SpriteImagePath, run.Embeddings[1].SpriteImageDim.Count), Is.EqualTo(((string?)null, 0)));
        Assert.That(DashboardReader.TagCounts(run)["custom_scalars"], Is.EqualTo(2));
        Assert.That(DashboardReader.TagCounts(run)["projector"], Is.EqualTo(2));
    }

    [Test]
    public void Ours_read_back_to_what_was_written_and_the_last_layout_wins()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            writer.CustomScalars(new CustomScalarLayout([new CustomScalarCategory("Loss", [new MultilineChart("all", ["loss/.*"])], Closed: true)]));
            writer.Embedding("points", [[1f, 2f], [3f, 4.5f]], 7, labels: ["a", "b"], sprite: new Sprite([new byte[12], new byte[12]], 2, 2, 3));
        }

        using (SummaryWriter later = SummaryWriter.Create(dir.Path))
        {
            later.CustomScalars(new CustomScalarLayout([new CustomScalarCategory("Bounds", [new MarginChart("acc", [new MarginSeries("acc", "lo", "hi")])])]));
        }

        RunDashboards run = DashboardReader.Read(dir.Path);

        Assert.That(run.CustomScalars!.Categories.Select(c => (c.Title, c.Closed)), Is.EqualTo(new[] { ("Bounds", false) }), "the later file's layout, as TensorBoard shows the last");
        Assert.That(Describe(run.CustomScalars.Categories[0].Charts), Is.EqualTo(new[] { "acc: acc [lo, hi]" }));
        EmbeddingInfo points = run.Embeddings.Single();
        Assert.That((points.TensorName, points.SpriteImageDim), Is.EqualTo(("points:00007", (IReadOnlyList<int>)[2, 2])));
        Assert.That(points.ReadVectors(), Is.EqualTo(new[] { new[] { 1f, 2f }, new[] { 3f, 4.5f } }));
        Assert.That(File.ReadAllLines(points.MetadataPath!), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void A_projector_config_in_any_text_format_shape_reads()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("projector_config.pbtxt"), """
            # written by hand
            model_checkpoint_path: "model.ckpt-1"
            embeddings { tensor_name: 'word' "s\x21\101" ; tensor_path: "a b/t\"q.tsv", sprite: { image_path: "s.png" single_image_dim: 8 single_image_dim: 6 }
              unknown_block { nested { x: 1 } y: "z" }
              tensor_shape: 10 tensor_shape: 4
            }
            embeddings {
              tensor_name: "checkpoint_only"  # no tensor_path: the vectors are in the checkpoint
            }
            """);
        using (SummaryWriter.Create(dir.Path))
        {
        }

        IReadOnlyList<EmbeddingInfo> embeddings = DashboardReader.Read(dir.Path).Embeddings;

        Assert.That(embeddings.Select(e => e.TensorName), Is.EqualTo(new[] { "words!A", "checkpoint_only" }), "adjacent strings join; hex and octal escapes");
        Assert.That(embeddings[0].TensorPath, Is.EqualTo(Path.Combine(Path.GetFullPath(dir.Path), "a b", "t\"q.tsv")));
        Assert.That((embeddings[0].SpriteImagePath, embeddings[0].SpriteImageDim), Is.EqualTo((Path.Combine(Path.GetFullPath(dir.Path), "s.png"), (IReadOnlyList<int>)[8, 6])));
        Assert.That(embeddings[1].TensorPath, Is.Null);
        Assert.That(() => embeddings[1].ReadVectors(), Throws.InvalidOperationException.With.Message.Contains("'checkpoint_only' names no tensor file"));
    }

    [TestCase("embeddings {\n  tensor_name: \"a\"\n", 3, "closes every block")]
    [TestCase("embeddings {\n  tensor_name: \"a\n}\n", 2, "not closed on its line")]
    [TestCase("}\n", 1, "without its '{'")]
    [TestCase("embeddings\n  tensor_name\n", 2, "neither ':' nor '{'")]
    public void A_damaged_projector_config_is_named_with_its_line(string text, int line, string what)
    {
        using var dir = new TempDirectory();
        string config = dir.Combine("projector_config.pbtxt");
        File.WriteAllText(config, text);

        Assert.That(() => DashboardReader.Read(dir.Path), Throws.TypeOf<FormatException>().With.Message.Contains($"'{config}' line {line}").And.Message.Contains(what));
    }

    [Test]
    public void A_damaged_layout_is_reported_and_passed_over()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            Protos.Summary summary = new CustomScalarLayout([new CustomScalarCategory("A", [new MultilineChart("a", ["a"])])]).ToSummary();
            summary.Value[0].Tensor.StringVal[0] = Google.Protobuf.ByteString.CopyFrom(0x0A, 0xFF, 0xFF, 0x01);
            writer.WriteSummary(summary, 0);
            writer.Histogram("w", [1.0, 2.0], 0);
        }

        var problems = new List<EventFileProblem>();
        RunDashboards run = DashboardReader.Read(dir.Path, new EventFileReaderOptions { ProblemReported = problems.Add });

        Assert.That(run.CustomScalars, Is.Null);
        Assert.That(run.Histograms.Keys, Is.EqualTo(new[] { "w" }), "the rest of the run still reads");
        Assert.That(problems.Single().Kind, Is.EqualTo(EventFileProblemKind.InvalidPluginData));
        Assert.That(problems.Single().Message, Does.Contain("Custom Scalars layout"));
    }

    [Test]
    public void A_tensor_file_that_is_not_numbers_is_named_with_its_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("t.tsv"), "1\t2\n3\tx\n");
        var embedding = new EmbeddingInfo("e", dir.Combine("t.tsv"), null, null, []);

        Assert.That(() => embedding.ReadVectors(), Throws.TypeOf<FormatException>().With.Message.Contains("line 2").And.Message.Contains("'x' is not a number"));
    }

    private static IEnumerable<string> Describe(IReadOnlyList<CustomScalarChart> charts) => charts.Select(c => c switch
    {
        MultilineChart m => $"{m.Title}: {string.Join(", ", m.Tags)}",
        MarginChart m => $"{m.Title}: {string.Join("; ", m.Series.Select(s => $"{s.Value} [{s.Lower}, {s.Upper}]"))}",
        _ => c.Title,
    });
}

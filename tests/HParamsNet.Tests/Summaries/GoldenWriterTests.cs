using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// Our writer, given each golden scenario, writes events that decode to the same messages as
/// TensorBoard's own writer wrote, wall times included, in the same runs and files.
/// </summary>
public class GoldenWriterTests
{
    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void Writes_what_tensorboard_wrote(string caseName)
    {
        using var dir = new TempDirectory();
        GoldenScenarios.Write(caseName, dir.Path);

        var ours = LogDirectory.FindRuns(dir.Path);
        var theirs = LogDirectory.FindRuns(Golden.LogDir(caseName)).Where(r => ours.Any(o => o.Name == r.Name)).ToList();

        Assert.That(ours.Select(r => r.Name), Is.EqualTo(theirs.Select(r => r.Name)));
        foreach ((RunDirectory mine, RunDirectory golden) in ours.Zip(theirs))
        {
            var myFiles = EventFileNames.ListEventFiles(mine.Path);
            var goldenFiles = EventFileNames.ListEventFiles(golden.Path);
            Assert.That(myFiles, Has.Count.EqualTo(goldenFiles.Count), $"files of run {mine.Name}");
            foreach ((string myFile, string goldenFile) in myFiles.Zip(goldenFiles))
            {
                var expected = AsTensorBoardKeepsThem(EventFileReader.ReadEvents(goldenFile, SkipDamage));
                var actual = AsTensorBoardKeepsThem(EventFileReader.ReadEvents(myFile));
                Assert.That(actual, Is.EqualTo(expected), $"run {mine.Name}, {Path.GetFileName(goldenFile)}");
            }
        }
    }

    [Test]
    public void Hparams_and_scalar_events_are_byte_identical_to_tensorboards()
    {
        // Where our writer and TensorBoard's put the same fields in the same order, the files
        // match byte for byte apart from the name (hparams_basic: sorted keys, metadata once).
        using var dir = new TempDirectory();
        GoldenScenarios.Write("hparams_basic", dir.Path);

        foreach (string run in new[] { ".", "run-0", "run-5" })
        {
            byte[] expected = File.ReadAllBytes(Golden.SingleFile("hparams_basic", run));
            byte[] actual = File.ReadAllBytes(EventFileNames.ListEventFiles(Path.Combine(dir.Path, run)).Single());
            Assert.That(actual, Is.EqualTo(expected), run);
        }
    }

    private static readonly EventFileReaderOptions SkipDamage = new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };

    // Map entries compare as a map, not in wire order (Python's v1 writer inserts in dict order).
    private static HParamsPluginData WithSortedMap(HParamsPluginData data)
    {
        if (data.SessionStartInfo is { } start)
        {
            var entries = start.Hparams.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            start.Hparams.Clear();
            foreach (var entry in entries)
            {
                start.Hparams.Add(entry.Key, entry.Value);
            }
        }

        return data;
    }

    // TensorBoard keeps the first metadata of each (run, tag) and ignores the rest (spec §4.3):
    // TensorBoard's Python scalar_pb repeats it on every value, TensorFlow and we write it once.
    private static List<Event> AsTensorBoardKeepsThem(IEnumerable<Event> events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<Event>();
        foreach (Event original in events)
        {
            Event evt = original.Clone();
            if (evt.Summary is not null)
            {
                foreach (Summary.Types.Value value in evt.Summary.Value)
                {
                    if (!seen.Add(value.Tag))
                    {
                        value.Metadata = null;
                    }
                    else if (HParamsSummaries.TryParse(value) is { } data)
                    {
                        value.Metadata!.PluginData.Content = WithSortedMap(data).ToByteString();
                    }
                }
            }

            kept.Add(evt);
        }

        return kept;
    }
}

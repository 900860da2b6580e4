using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Events;

public class EventFileReaderTests
{
    private static List<long> LossSteps(IEnumerable<Event> events) =>
        events.Where(e => e.Summary is not null).Select(e => e.Step).ToList();

    [Test]
    public void Two_files_of_a_run_are_joined_in_name_order()
    {
        var events = EventFileReader.ReadRunEvents(Path.Combine(Golden.LogDir("multi_file"), "two_files")).ToList();

        Assert.That(LossSteps(events), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(events.Count(e => e.FileVersion == "brain.Event:2"), Is.EqualTo(2));
    }

    [Test]
    public void Truncated_final_record_ends_the_stream_and_is_reported()
    {
        var problems = new List<EventFileProblem>();
        string file = Golden.SingleFile("multi_file", "truncated");

        var events = EventFileReader.ReadEvents(file, new EventFileReaderOptions { ProblemReported = problems.Add }).ToList();

        Assert.That(LossSteps(events), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0].Kind, Is.EqualTo(EventFileProblemKind.TruncatedRecord));
        Assert.That(problems[0].IsCorruption, Is.False);
        Assert.That(problems[0].Offset, Is.LessThan(new FileInfo(file).Length));
        Assert.That(problems[0].Message, Does.Contain(file).And.Contain("byte offset " + problems[0].Offset));
    }

    [Test]
    public void Bad_crc_throws_naming_the_file_and_offset()
    {
        string file = Golden.SingleFile("multi_file", "bad_crc");
        // Records: header (88 bytes as written by TensorBoard), then one per step; step 2's is damaged.
        var offsets = EventFileReader.ReadRecords(Golden.SingleFile("multi_file", "truncated")).Select(r => r.Offset).ToList();

        var error = Assert.Throws<CorruptEventFileException>(() => EventFileReader.ReadEvents(file).ToList())!;

        Assert.That(error.FilePath, Is.EqualTo(file));
        Assert.That(error.Offset, Is.EqualTo(offsets[3]));
        Assert.That(error.Problem.Kind, Is.EqualTo(EventFileProblemKind.PayloadChecksumMismatch));
        Assert.That(error.Message, Does.Contain(file).And.Contain($"byte offset {offsets[3]}").And.Contain("SkipRestOfFile"));
    }

    [Test]
    public void Bad_crc_with_skip_keeps_the_prefix_and_goes_on_with_the_next_file_as_tensorboard_does()
    {
        var problems = new List<EventFileProblem>();
        var options = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile, ProblemReported = problems.Add };

        var single = EventFileReader.ReadRunEvents(Path.Combine(Golden.LogDir("multi_file"), "bad_crc"), options).ToList();
        var joined = EventFileReader.ReadRunEvents(Path.Combine(Golden.LogDir("multi_file"), "bad_crc_then_new_file"), options).ToList();

        Assert.That(LossSteps(single), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(LossSteps(joined), Is.EqualTo(new long[] { 0, 1, 5, 6, 7 }));
        Assert.That(problems.Select(p => p.Kind), Is.All.EqualTo(EventFileProblemKind.PayloadChecksumMismatch));
        Assert.That(problems, Has.Count.EqualTo(2));
    }

    [Test]
    public void Without_checksum_verification_a_bad_payload_crc_is_accepted_like_rustboard()
    {
        var options = new EventFileReaderOptions { VerifyChecksums = false };

        var events = EventFileReader.ReadEvents(Golden.SingleFile("multi_file", "bad_crc"), options).ToList();

        Assert.That(LossSteps(events), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void A_growing_file_is_read_again_from_the_truncated_record()
    {
        using var dir = new TempDirectory();
        string source = EventFileNames.ListEventFiles(Path.Combine(Golden.LogDir("multi_file"), "two_files"))[0];
        byte[] bytes = File.ReadAllBytes(source);
        string path = dir.Combine("events.out.tfevents.1.growing");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        using var reader = new EventFileReader(path);
        int first = 0;
        while (reader.TryReadNext(out _))
        {
            first++;
        }

        using (var append = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            append.Write(bytes.AsSpan(bytes.Length - 10));
        }

        int second = 0;
        while (reader.TryReadNext(out _))
        {
            second++;
        }

        Assert.That(first, Is.EqualTo(5), "header + 4 complete records before the append");
        Assert.That(second, Is.EqualTo(1), "the completed record, read from its first byte");
    }

    [Test]
    public void Missing_run_directory_names_it()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => EventFileReader.ReadRunEvents("/nonexistent/run").ToList())!;

        Assert.That(error.Message, Does.Contain("/nonexistent/run"));
    }

    [Test]
    public void A_file_that_is_not_an_event_file_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("events.out.tfevents.0.text");
        File.WriteAllText(path, "this is a text file, not TensorBoard's records; it is long enough");

        var error = Assert.Throws<CorruptEventFileException>(() => EventFileReader.ReadEvents(path).ToList())!;

        Assert.That(error.Problem.Kind, Is.EqualTo(EventFileProblemKind.LengthChecksumMismatch));
        Assert.That(error.Offset, Is.Zero);
    }

    [Test]
    public void Run_files_are_recognised_by_the_tfevents_marker_and_ordered_by_name()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "events.out.tfevents.9.a", "events.out.tfevents.10.a", "foo.tfevents.bar", "notes.txt", "x.tfevents.1.profile-empty" })
        {
            File.WriteAllBytes(dir.Combine(name), [0]);
        }

        File.WriteAllBytes(dir.Combine("events.out.tfevents.8.empty"), []); // holds nothing: not read

        var files = EventFileNames.ListEventFiles(dir.Path).Select(Path.GetFileName);

        Assert.That(files, Is.EqualTo(new[] { "events.out.tfevents.10.a", "events.out.tfevents.9.a", "foo.tfevents.bar" }));
    }
}

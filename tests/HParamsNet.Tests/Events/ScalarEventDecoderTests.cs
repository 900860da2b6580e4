using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Events;

/// <summary>The wire-level scalar decoder agrees with the full parser on every form it meets.</summary>
public class ScalarEventDecoderTests
{
    private static Event MakeEvent(int shape, string tag, float value, long step, double wallTime)
    {
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = new TensorShapeProto() };
        var summaryValue = new Summary.Types.Value { Tag = tag };
        switch (shape % 8)
        {
            case 0: // v2 as TensorFlow writes it
                tensor.FloatVal.Add(value);
                summaryValue.Tensor = tensor;
                summaryValue.Metadata = ScalarSummaries.Metadata();
                break;
            case 1: // later value, no metadata
                tensor.FloatVal.Add(value);
                summaryValue.Tensor = tensor;
                break;
            case 2: // v1
                summaryValue.SimpleValue = value;
                break;
            case 3: // tensor_content form
                tensor.TensorContent = ByteString.CopyFrom(BitConverter.GetBytes(value));
                summaryValue.Tensor = tensor;
                summaryValue.Metadata = ScalarSummaries.Metadata();
                break;
            case 4: // DT_DOUBLE: the full parser accepts it, the decoder must defer
                summaryValue.Tensor = new TensorProto { Dtype = DataType.DtDouble, DoubleVal = { value } };
                summaryValue.Metadata = ScalarSummaries.Metadata();
                break;
            case 5: // another plugin
                summaryValue.Tensor = tensor;
                summaryValue.Metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = "images" } };
                break;
            case 6: // shape [1]: not rank 0
                tensor.FloatVal.Add(value);
                tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = 1 });
                summaryValue.Tensor = tensor;
                summaryValue.Metadata = ScalarSummaries.Metadata();
                break;
            default: // hparams summary
                return new Event { WallTime = wallTime, Step = step, Summary = HParamsSummaries.SessionEnd(SessionStatus.Success, DateTimeOffset.UnixEpoch) };
        }

        return new Event { WallTime = wallTime, Step = step, Summary = new Summary { Value = { summaryValue } } };
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property Decoder_and_full_parser_agree(int[] shapes, NonEmptyString tagSeed, float value, long step, NormalFloat wallTime)
    {
        var fast = new ScalarEventDecoder();
        var full = new ScalarEventDecoder();
        var fastOut = new List<ScalarEvent>();
        var fullOut = new List<ScalarEvent>();
        for (int i = 0; i < shapes.Length; i++)
        {
            string tag = $"{tagSeed.Get}{Math.Abs(shapes[i] % 3)}";
            Event evt = MakeEvent(Math.Abs(shapes[i]), tag, value + i, step + i, wallTime.Get);
            byte[] payload = evt.ToByteArray();
            if (!fast.TryDecode(payload, fastOut))
            {
                fast.AddParsed(Event.Parser.ParseFrom(payload), fastOut);
            }

            full.AddParsed(evt, fullOut);
        }

        return fastOut.SequenceEqual(fullOut).Label($"fast {fastOut.Count}, full {fullOut.Count}");
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property Arbitrary_bytes_never_throw(byte[] payload)
    {
        var output = new List<ScalarEvent>();
        bool decoded = new ScalarEventDecoder().TryDecode(payload, output);
        return (decoded || output.Count == 0).ToProperty();
    }

    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void ReadRunScalars_equals_the_full_parser_on_the_goldens(string caseName)
    {
        var options = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };
        foreach (RunDirectory run in LogDirectory.FindRuns(Golden.LogDir(caseName)))
        {
            var fast = EventFileReader.ReadRunScalars(run.Path, options).ToList();
            var full = new List<ScalarEvent>();
            foreach (string file in EventFileNames.ListEventFiles(run.Path))
            {
                var decoder = new ScalarEventDecoder();
                foreach (Event evt in EventFileReader.ReadEvents(file, options))
                {
                    decoder.AddParsed(evt, full);
                }
            }

            Assert.That(fast, Is.EqualTo(full), run.Name);
        }
    }
}

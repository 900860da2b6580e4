using System.Globalization;
using System.Text.Json.Nodes;
using HParamsNet;
using HParamsNet.Summaries;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Summaries;

/// <summary>Group names must equal those TensorBoard's Python writer derives (vectors from CPython 3.11).</summary>
public class PythonJsonTests
{
    private static string Asset(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", name);

    [Test]
    public void Floats_are_written_as_python_repr_writes_them()
    {
        var lines = File.ReadLines(Asset("python-float-repr.tsv")).Where(l => !l.StartsWith('#')).ToList();
        var mismatches = new List<string>();
        foreach (string line in lines)
        {
            string[] parts = line.Split('\t');
            double value = BitConverter.Int64BitsToDouble(long.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            string actual = PythonJson.FormatFloat(value);
            if (actual != parts[1])
            {
                mismatches.Add($"{parts[1]} -> {actual}");
            }
        }

        Assert.That(lines, Has.Count.GreaterThan(500));
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void Group_names_equal_pythons()
    {
        foreach (string line in File.ReadLines(Asset("python-group-names.jsonl")))
        {
            JsonNode vector = JsonNode.Parse(line)!;
            var hparams = new Dictionary<string, object>();
            foreach ((string name, JsonNode? typed) in vector["hparams"]!.AsObject())
            {
                (string kind, JsonNode? value) = typed!.AsObject().Single();
                hparams[name] = kind switch
                {
                    "int" => value!.GetValue<long>(),
                    "float" => double.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture),
                    "bool" => value!.GetValue<bool>(),
                    _ => value!.GetValue<string>(),
                };
            }

            string json = vector["json"]!.GetValue<string>();
            Assert.That(PythonJson.SerializeSortedObject(hparams.Select(p => KeyValuePair.Create(p.Key, HParamValues.Normalize(p.Key, p.Value)))), Is.EqualTo(json));
            Assert.That(SessionGroupName.Derive(hparams), Is.EqualTo(vector["sha256"]!.GetValue<string>()), json);
        }
    }

    [Test]
    public void Group_names_of_the_hparams_tutorial_golden()
    {
        // run-0 of hparams_basic: {num_units: 16, dropout: 0.1, optimizer: "adam"}, trial_id None.
        var hparams = new Dictionary<string, object> { ["num_units"] = 16, ["dropout"] = 0.1, ["optimizer"] = "adam" };

        Assert.That(SessionGroupName.Derive(hparams), Is.EqualTo("5b97f3c2967245b6fc0ed76a4d1c1f290ff6aaef6e6909d01d6e31ae52828c5b"));
    }
}

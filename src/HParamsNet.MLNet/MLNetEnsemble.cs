using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet;

/// <summary>One model of an ensemble: the pipeline of a study's trial refitted on all training rows, and its weight.</summary>
/// <param name="Trial">The study's trial whose configuration it is.</param>
/// <param name="Weight">Its share of the average (the weights sum to 1).</param>
/// <param name="Model">The fitted pipeline.</param>
public sealed record EnsembleMember(int Trial, double Weight, ITransformer Model);

/// <summary>
/// A weighted average of fitted ML.NET pipelines' predictions (probabilities for classification,
/// values for regression), used like one model: <see cref="Transform"/> writes the columns ML.NET's
/// evaluators and prediction engines read (binary: <c>Score</c>, <c>Probability</c> and
/// <c>PredictedLabel</c>; multiclass: <c>Score</c> with one probability per class in class order
/// and <c>PredictedLabel</c>, the class as a key; regression: <c>Score</c>).
/// <c>MLContext.Model.Save</c> cannot hold an average of several models, so save it with
/// <see cref="Save"/>, a zip holding each member as ML.NET saves it, and read it back with
/// <see cref="Load"/>.
/// </summary>
public sealed class MLNetEnsemble : ITransformer
{
    private const string Manifest = "ensemble.json";
    private const string FormatName = "hparamsnet-mlnet-ensemble";
    private const string Prefix = "__ensemble_";
    private const string MembersColumn = Prefix + "members";

    private readonly MLContext _ml;

    internal MLNetEnsemble(MLContext ml, MLTask task, int classes, IReadOnlyList<EnsembleMember> members)
    {
        _ml = ml;
        Task = task;
        Classes = classes;
        Members = members;
    }

    /// <summary>What the members learnt.</summary>
    public MLTask Task { get; }

    /// <summary>Classes predicted (multiclass); 1 otherwise.</summary>
    public int Classes { get; }

    /// <summary>The members, by weight, largest first.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Chain(input.Schema).Transform(input);
    }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Chain(inputSchema).GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ((ITransformer)Chain(inputSchema)).GetRowToRowMapper(inputSchema);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        $"MLContext.Model.Save cannot hold an ensemble of {Members.Count} models: save it with {nameof(MLNetEnsemble)}.{nameof(Save)} and read it with {nameof(MLNetEnsemble)}.{nameof(Load)} (a zip of ML.NET model files and their weights).");

    /// <summary>Writes the ensemble: a zip with each member as <c>MLContext.Model.Save</c> writes it and a manifest of the weights.</summary>
    /// <param name="inputSchema">The schema of the rows the members were fitted on (as for <c>MLContext.Model.Save</c>).</param>
    /// <param name="stream">Where to write; left open.</param>
    public void Save(DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var manifest = new ManifestFile(FormatName, 1, Task.ToString(), Classes, [.. Members.Select((m, i) => new ManifestMember($"member-{i}.zip", m.Trial, m.Weight))]);
        for (int i = 0; i < Members.Count; i++)
        {
            // ML.NET's saver needs a seekable stream; a zip entry is not one.
            using var buffer = new MemoryStream();
            _ml.Model.Save(Members[i].Model, inputSchema, buffer);
            using Stream entry = zip.CreateEntry(manifest.Members[i].Entry, CompressionLevel.NoCompression).Open();
            buffer.Position = 0;
            buffer.CopyTo(entry);
        }

        using Stream json = zip.CreateEntry(Manifest).Open();
        JsonSerializer.Serialize(json, manifest);
    }

    /// <summary>Reads an ensemble written by <see cref="Save"/>.</summary>
    /// <param name="ml">The ML.NET context to load the members into.</param>
    /// <param name="stream">The zip; left open.</param>
    /// <param name="inputSchema">The schema the members were fitted on.</param>
    /// <exception cref="InvalidDataException">The stream is not an ensemble written by <see cref="Save"/>.</exception>
    public static MLNetEnsemble Load(MLContext ml, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        ManifestFile manifest = zip.GetEntry(Manifest) is { } entry
            ? ReadManifest(entry)
            : throw new InvalidDataException($"This zip has no '{Manifest}', so it is not an ensemble saved by {nameof(MLNetEnsemble)}.{nameof(Save)}; a single model loads with MLContext.Model.Load.");
        DataViewSchema? schema = null;
        var members = new List<EnsembleMember>();
        foreach (ManifestMember member in manifest.Members)
        {
            ZipArchiveEntry file = zip.GetEntry(member.Entry) ?? throw new InvalidDataException($"The ensemble's '{member.Entry}' is missing: the file is incomplete; save the ensemble again.");
            using var buffer = new MemoryStream();
            using (Stream source = file.Open())
            {
                source.CopyTo(buffer);
            }

            buffer.Position = 0;
            members.Add(new EnsembleMember(member.Trial, member.Weight, ml.Model.Load(buffer, out schema)));
        }

        inputSchema = schema!;
        return new MLNetEnsemble(ml, Enum.Parse<MLTask>(manifest.Task), manifest.Classes, members);
    }

    private static ManifestFile ReadManifest(ZipArchiveEntry entry)
    {
        using Stream json = entry.Open();
        ManifestFile? manifest = JsonSerializer.Deserialize<ManifestFile>(json);
        return manifest is { Format: FormatName, Version: 1, Members.Count: > 0 } && Enum.TryParse<MLTask>(manifest.Task, out _)
            ? manifest
            : throw new InvalidDataException($"'{Manifest}' is not a version-1 {FormatName} manifest with members; was it written by a newer HParamsNet?");
    }

    // Each member gets the input columns as they came (a member's own pipeline may overwrite
    // Features or Label), leaves its prediction in a column of its own, and one mapping averages
    // them into the columns a single model writes.
    private TransformerChain<ITransformer> Chain(DataViewSchema inputSchema)
    {
        IDataView view = new SchemaOnlyDataView(inputSchema);
        var parts = new List<ITransformer>();
        void Add(ITransformer part)
        {
            view = part.Transform(view);
            parts.Add(part);
        }

        void Copy(IEnumerable<(string Output, string Input)> columns)
        {
            foreach ((string output, string input) in columns)
            {
                Add(_ml.Transforms.CopyColumns(output, input).Fit(view));
            }
        }

        string[] inputs = [.. inputSchema.Where(c => !c.IsHidden).Select(c => c.Name)];
        Copy(inputs.Select(c => (Prefix + c, c)));
        var slotClasses = new List<int[]>();
        for (int m = 0; m < Members.Count; m++)
        {
            if (m > 0)
            {
                Copy(inputs.Select(c => (c, Prefix + c)));
            }

            Add(Members[m].Model);
            slotClasses.Add(Task == MLTask.MulticlassClassification ? ClassSlots.Of(view.Schema) : []);
            Copy([($"{Prefix}member{m}", Task == MLTask.BinaryClassification ? "Probability" : "Score")]);
        }

        Copy(inputs.Select(c => (c, Prefix + c)));
        Add(_ml.Transforms.Concatenate(MembersColumn, [.. Enumerable.Range(0, Members.Count).Select(m => $"{Prefix}member{m}")]).Fit(view));
        Add(Average(view, [.. slotClasses]));
        Add(_ml.Transforms.DropColumns([.. view.Schema.Where(c => !c.IsHidden && c.Name.StartsWith(Prefix, StringComparison.Ordinal)).Select(c => c.Name)]).Fit(view));
        return new TransformerChain<ITransformer>([.. parts]);
    }

    private ITransformer Average(IDataView view, int[][] slotClasses)
    {
        double[] weights = [.. Members.Select(m => m.Weight)];
        SchemaDefinition input = SchemaDefinition.Create(typeof(MemberPredictions), SchemaDefinition.Direction.Read);
        input[MembersColumn].ColumnType = view.Schema[MembersColumn].Type;
        switch (Task)
        {
            case MLTask.BinaryClassification:
                return _ml.Transforms.CustomMapping<MemberPredictions, BinaryPrediction>(
                    (members, output) =>
                    {
                        output.Probability = (float)WeightedSum(members.Values, weights);
                        // Members' raw scores are on scales of their own; the averaged probability orders rows for AUC.
                        output.Score = output.Probability;
                        output.PredictedLabel = output.Probability > 0.5f;
                    },
                    contractName: null,
                    inputSchemaDefinition: input).Fit(view);
            case MLTask.Regression:
                return _ml.Transforms.CustomMapping<MemberPredictions, ValuePrediction>(
                    (members, output) => output.Score = (float)WeightedSum(members.Values, weights),
                    contractName: null,
                    inputSchemaDefinition: input).Fit(view);
            default:
                SchemaDefinition output = SchemaDefinition.Create(typeof(ClassPrediction));
                output[nameof(ClassPrediction.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Classes);
                output[nameof(ClassPrediction.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), Classes);
                // The class values, so MapKeyToValue turns a predicted key back into its class as for one model.
                output[nameof(ClassPrediction.PredictedLabel)].AddAnnotation(
                    "KeyValues",
                    new VBuffer<float>(Classes, [.. Enumerable.Range(0, Classes).Select(c => (float)c)]),
                    new VectorDataViewType(NumberDataViewType.Single, Classes));
                return _ml.Transforms.CustomMapping<MemberPredictions, ClassPrediction>(
                    (members, prediction) => AverageClasses(members.Values, weights, slotClasses, prediction),
                    contractName: null,
                    inputSchemaDefinition: input,
                    outputSchemaDefinition: output).Fit(view);
        }
    }

    private static double WeightedSum(float[] values, double[] weights)
    {
        double sum = 0;
        for (int m = 0; m < weights.Length; m++)
        {
            sum += weights[m] * values[m];
        }

        return sum;
    }

    private void AverageClasses(float[] values, double[] weights, int[][] slotClasses, ClassPrediction prediction)
    {
        var score = new float[Classes];
        int offset = 0;
        for (int m = 0; m < weights.Length; m++)
        {
            int slots = ClassSlots.Count(slotClasses[m], Classes);
            ClassSlots.AddInClassOrder(values.AsSpan(offset, slots), slotClasses[m], weights[m], score);
            offset += slots;
        }

        prediction.Score = score;
        // A key column read from an object is 0-based there (ML.NET adds the 1 of its key encoding).
        prediction.PredictedLabel = (uint)Array.IndexOf(score, score.Max());
    }

    private sealed record ManifestFile(string Format, int Version, string Task, int Classes, IReadOnlyList<ManifestMember> Members);

    private sealed record ManifestMember(string Entry, int Trial, double Weight);

    private sealed class MemberPredictions
    {
        [ColumnName(MembersColumn)]
        public float[] Values { get; set; } = [];
    }

    private sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class ValuePrediction
    {
        public float Score { get; set; }
    }

    private sealed class ClassPrediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }
}

using System.Globalization;
using System.Text;

namespace HParamsNet.Summaries;

/// <summary>
/// Writes embeddings as TensorBoard's Projector reads them without TensorFlow: per embedding a
/// directory <c>STEP/TAG/</c> of the run holding <c>tensors.tsv</c> (one vector per line),
/// <c>metadata.tsv</c> (one label per line, or a header and columns) and <c>sprite.png</c>, and the
/// run's <c>projector_config.pbtxt</c> listing them (the layout PyTorch's <c>add_embedding</c> writes).
/// The config keeps every embedding written before (by any writer), so nothing is lost.
/// </summary>
internal static class ProjectorFiles
{
    public const string ConfigFile = "projector_config.pbtxt";

    public static void Write(string runDir, string tag, long step, IReadOnlyList<float[]> vectors, IReadOnlyList<string>? header, IReadOnlyList<IReadOnlyList<string>>? metadata, Sprite? sprite)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0 || vectors[0] is null || vectors[0].Length == 0)
        {
            throw new ArgumentException("An embedding needs at least one vector of at least one value.", nameof(vectors));
        }

        int dimensions = vectors[0].Length;
        for (int i = 0; i < vectors.Count; i++)
        {
            if (vectors[i] is null || vectors[i].Length != dimensions || vectors[i].Any(v => !float.IsFinite(v)))
            {
                throw new ArgumentException($"Vector {i} is not {dimensions} finite values like vector 0.", nameof(vectors));
            }
        }

        if (metadata is not null && metadata.Count != vectors.Count)
        {
            throw new ArgumentException($"{metadata.Count} metadata rows for {vectors.Count} vectors; give one row per vector.", nameof(metadata));
        }

        if (sprite is not null && sprite.Images.Count != vectors.Count)
        {
            throw new ArgumentException($"{sprite.Images.Count} sprite images for {vectors.Count} vectors; give one image per vector.", nameof(sprite));
        }

        if (tag.IndexOfAny(['/', '\\', '\t', '\n', '"']) >= 0 || tag is "." or "..")
        {
            throw new ArgumentException($"Embedding tag '{tag}' names a directory; use letters, digits, '_', '-' or '.'.", nameof(tag));
        }

        byte[]? spritePng = sprite?.Encode(); // before any file: a bad image leaves nothing behind
        string relative = $"{step.ToString("D5", CultureInfo.InvariantCulture)}/{tag}";
        string dir = Path.Combine(runDir, step.ToString("D5", CultureInfo.InvariantCulture), tag);
        if (Directory.Exists(dir))
        {
            throw new IOException($"'{dir}' exists: embedding '{tag}' was written at step {step} already; give another step or tag (nothing was overwritten).");
        }

        Directory.CreateDirectory(dir);
        var tensors = new StringBuilder();
        foreach (float[] vector in vectors)
        {
            tensors.AppendJoin('\t', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        File.WriteAllText(Path.Combine(dir, "tensors.tsv"), tensors.ToString());
        var entry = new StringBuilder();
        entry.Append("embeddings {\n");
        entry.Append($"  tensor_name: \"{tag}:{step.ToString("D5", CultureInfo.InvariantCulture)}\"\n");
        entry.Append($"  tensor_path: \"{relative}/tensors.tsv\"\n");
        if (metadata is not null)
        {
            var rows = new StringBuilder();
            if (header is not null)
            {
                rows.AppendJoin('\t', header.Select(Clean)).Append('\n');
            }

            foreach (IReadOnlyList<string> row in metadata)
            {
                rows.AppendJoin('\t', row.Select(Clean)).Append('\n');
            }

            File.WriteAllText(Path.Combine(dir, "metadata.tsv"), rows.ToString());
            entry.Append($"  metadata_path: \"{relative}/metadata.tsv\"\n");
        }

        if (sprite is not null)
        {
            File.WriteAllBytes(Path.Combine(dir, "sprite.png"), spritePng!);
            entry.Append($"  sprite {{\n    image_path: \"{relative}/sprite.png\"\n    single_image_dim: {sprite.Width}\n    single_image_dim: {sprite.Height}\n  }}\n");
        }

        entry.Append("}\n");

        // Appended to what the config holds: earlier embeddings stay listed.
        string config = Path.Combine(runDir, ConfigFile);
        File.AppendAllText(config, entry.ToString());
    }

    // A label is one cell: tabs and line breaks would shift the columns and rows.
    private static string Clean(string value) => (value ?? string.Empty).Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>The projector's thumbnails: one image per vector, all of one size, laid out as TensorBoard's sprite (a square grid, row by row).</summary>
/// <param name="Images">Each vector's image: height x width x channels bytes.</param>
/// <param name="Height">Rows of each image.</param>
/// <param name="Width">Columns of each image.</param>
/// <param name="Channels">1, 3 or 4.</param>
public sealed record Sprite(IReadOnlyList<byte[]> Images, int Height, int Width, int Channels)
{
    internal byte[] Encode()
    {
        ArgumentNullException.ThrowIfNull(Images);
        if (Channels is not (1 or 3 or 4) || Height < 1 || Width < 1)
        {
            throw new ArgumentException($"Sprite images of {Height} x {Width} x {Channels}: sizes from 1, and 1, 3 or 4 channels.", nameof(Channels));
        }

        int perRow = (int)Math.Ceiling(Math.Sqrt(Images.Count));
        int side = perRow * Width;
        int sideHeight = perRow * Height;
        var canvas = new byte[sideHeight * side * Channels];
        for (int k = 0; k < Images.Count; k++)
        {
            byte[] image = Images[k];
            if (image is null || image.Length != Height * Width * Channels)
            {
                throw new ArgumentException($"Sprite image {k} has {image?.Length ?? 0} bytes; {Height} x {Width} x {Channels} makes {Height * Width * Channels}.", nameof(Images));
            }

            int top = k / perRow * Height;
            int left = k % perRow * Width;
            for (int y = 0; y < Height; y++)
            {
                Array.Copy(image, y * Width * Channels, canvas, (((top + y) * side) + left) * Channels, Width * Channels);
            }
        }

        return PngEncoder.Encode(canvas, sideHeight, side, Channels);
    }
}

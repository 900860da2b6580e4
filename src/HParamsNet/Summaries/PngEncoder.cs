using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace HParamsNet.Summaries;

/// <summary>
/// Encodes 8-bit pixels as PNG: a signature, an IHDR chunk, one zlib-compressed IDAT chunk of
/// unfiltered rows, and IEND. Hand-written rather than a dependency: the core library stays free of
/// imaging packages (the served PNG libraries are either large or unmaintained), and these few
/// lines, on .NET's own zlib and CRC-32, are all TensorBoard needs to show an image.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>PNG bytes of <paramref name="pixels"/>, height x width x channels, row-major (HWC).</summary>
    /// <param name="pixels">The pixels; 1 channel is grey, 3 RGB, 4 RGBA.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="channels">1, 3 or 4.</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels)
    {
        byte colorType = channels switch { 1 => 0, 3 => 2, 4 => 6, _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "1, 3 or 4 channels.") };
        using var png = new MemoryStream((pixels.Length / 2) + 64);
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bits per channel
        header[9] = colorType;
        WriteChunk(png, "IHDR"u8, header);

        using (var compressed = new MemoryStream((pixels.Length / 2) + 64))
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                int stride = width * channels;
                for (int row = 0; row < height; row++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(pixels.Slice(row * stride, stride));
                }
            }

            WriteChunk(png, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }
}

using BigGustave;

namespace HParamsNet.Tests.Support;

/// <summary>A PNG's pixels decoded by an independent decoder (BigGustave), row by row, whatever its colour type (grey repeated into R, G and B).</summary>
internal static class PngPixels
{
    /// <summary>R, G, B (and A, with <paramref name="alpha"/>) of each pixel.</summary>
    public static byte[] Decode(byte[] png, bool alpha)
    {
        Png image = Png.Open(png);
        var values = new List<byte>(image.Width * image.Height * (alpha ? 4 : 3));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                Pixel p = image.GetPixel(x, y);
                values.AddRange(alpha ? [p.R, p.G, p.B, p.A] : [p.R, p.G, p.B]);
            }
        }

        return [.. values];
    }
}

using System.IO.Compression;
using System.Text;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>Files for the widget's browser tests, made in code so that every byte is known.</summary>
public static class TestFiles
{
    /// <summary>A truecolour PNG of <paramref name="width"/> × <paramref name="height"/>: a sky, a sun, a green hill.</summary>
    public static byte[] Png(int width, int height, (byte R, byte G, byte B) sun)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = ((byte)(120 + 100 * y / height), (byte)(180 + 60 * y / height), (byte)255);
                var dx = x - width * 0.7;
                var dy = y - height * 0.35;
                if (dx * dx + dy * dy < height * height / 25.0) (r, g, b) = sun;
                if (y > height * 0.65 + 20 * Math.Sin(x / (double)width * Math.PI * 2)) (r, g, b) = (46, (byte)(140 + 40 * x / width), 70);
                raw.WriteByte(r);
                raw.WriteByte(g);
                raw.WriteByte(b);
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            raw.WriteTo(z);

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8; // bits per sample
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A small PDF (one page of text) with some padding, so it has a size worth showing.</summary>
    public static byte[] Pdf(string title)
    {
        var text = $"""
            %PDF-1.4
            1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
            2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
            3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
            4 0 obj << /Length 44 >> stream
            BT /F1 18 Tf 36 72 Td ({title}) Tj ET
            endstream endobj
            5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
            trailer << /Root 1 0 R >>
            %%EOF

            """;
        return Encoding.ASCII.GetBytes(text + "%" + new string('-', 2400) + "\n");
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(typed));
        png.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int at, uint value)
    {
        buffer[at] = (byte)(value >> 24);
        buffer[at + 1] = (byte)(value >> 16);
        buffer[at + 2] = (byte)(value >> 8);
        buffer[at + 3] = (byte)value;
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

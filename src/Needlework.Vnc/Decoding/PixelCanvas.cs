namespace Needlework.Vnc.Decoding;

/// <summary>
/// The receive thread's private RGB24 copy of the remote screen: decoders write here without locks,
/// and finished updates are published to <see cref="VncFramebuffer"/>.
/// </summary>
internal sealed class PixelCanvas
{
    public PixelCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public int Stride => Width * 3;

    public byte[] Pixels { get; private set; }

    /// <summary>A new size means a new, black screen: the server sends its content next.</summary>
    public void Resize(int width, int height)
    {
        if (width == Width && height == Height)
        {
            return;
        }

        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
    }

    public bool Contains(int x, int y, int width, int height) =>
        x >= 0 && y >= 0 && width >= 0 && height >= 0 && x + width <= Width && y + height <= Height;

    public Span<byte> RowSpan(int x, int y, int width) => Pixels.AsSpan((y * Width + x) * 3, width * 3);

    /// <summary>CopyRect: rows are walked away from the overlap so the source is read before it is overwritten.</summary>
    public void CopyRectangle(int sourceX, int sourceY, int x, int y, int width, int height)
    {
        if (sourceY >= y)
        {
            for (var row = 0; row < height; row++)
            {
                RowSpan(sourceX, sourceY + row, width).CopyTo(RowSpan(x, y + row, width));
            }
        }
        else
        {
            for (var row = height - 1; row >= 0; row--)
            {
                RowSpan(sourceX, sourceY + row, width).CopyTo(RowSpan(x, y + row, width));
            }
        }
    }
}

namespace Needlework.Vnc.Decoding;

/// <summary>
/// The input side of the connection's one zlib stream: each ZRLE rectangle's compressed bytes are appended,
/// and the inflater reads them. Returning 0 when empty ends only the current rectangle's data, not the stream.
/// </summary>
internal sealed class ZlibFeed : Stream
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _pos;
    private int _end;

    public int Pending => _end - _pos;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _end < data.Length)
        {
            var pending = _end - _pos;
            var target = pending + data.Length > _buffer.Length ? new byte[Math.Max(pending + data.Length, _buffer.Length * 2)] : _buffer;
            _buffer.AsSpan(_pos, pending).CopyTo(target);
            _buffer = target;
            _pos = 0;
            _end = pending;
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _end - _pos);
        _buffer.AsSpan(_pos, count).CopyTo(buffer);
        _pos += count;
        if (_pos == _end)
        {
            _pos = 0;
            _end = 0;
        }

        return count;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

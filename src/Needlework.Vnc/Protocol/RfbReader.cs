using System.Buffers.Binary;

namespace Needlework.Vnc.Protocol;

/// <summary>
/// Buffered big-endian reader for RFB. Callers first <see cref="EnsureAsync"/> the bytes a message part needs
/// (synchronous when they are already buffered, the common case), then parse them with the synchronous
/// readers. Every refill has a deadline, so a stalled server turns into a <see cref="VncException"/>.
/// </summary>
internal sealed class RfbReader
{
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private byte[] _buffer;
    private int _pos;
    private int _end;

    public RfbReader(Stream stream, TimeSpan timeout, TimeProvider time, int bufferSize = 64 * 1024)
    {
        _stream = stream;
        _timeout = timeout;
        _time = time;
        _buffer = new byte[bufferSize];
    }

    public int Buffered => _end - _pos;

    /// <summary>Largest number of bytes one EnsureAsync can hold without growing the buffer.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Makes <paramref name="count"/> bytes available; <paramref name="expected"/> names them in errors.</summary>
    public ValueTask EnsureAsync(int count, string expected, CancellationToken cancellationToken) =>
        _end - _pos >= count ? ValueTask.CompletedTask : new ValueTask(FillAsync(count, _timeout, expected, cancellationToken));

    /// <summary>The slow path: compact, grow if needed, and read until <paramref name="count"/> bytes are buffered.</summary>
    public async Task FillAsync(int count, TimeSpan timeout, string expected, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
        {
            var bigger = new byte[Math.Max(count, _buffer.Length * 2)];
            _buffer.AsSpan(_pos, _end - _pos).CopyTo(bigger);
            _end -= _pos;
            _pos = 0;
            _buffer = bigger;
        }
        else if (_buffer.Length - _pos < count)
        {
            _buffer.AsSpan(_pos, _end - _pos).CopyTo(_buffer);
            _end -= _pos;
            _pos = 0;
        }

        while (_end - _pos < count)
        {
            int read;
            var pending = _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).AsTask();
            try
            {
                read = await pending.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Abandon(pending);
                throw new VncException(
                    $"expected {expected} ({count} bytes) but the server sent {_end - _pos} bytes and then nothing for {timeout.TotalSeconds:0.###} s");
            }
            catch (IOException ex)
            {
                throw new VncException($"expected {expected} but the connection failed: {ex.Message}", ex);
            }
            catch (ObjectDisposedException ex)
            {
                throw new VncException($"expected {expected} but the connection was closed by this client", ex);
            }

            if (read == 0)
            {
                throw new VncException(
                    $"expected {expected} ({count} bytes) but the server closed the connection after {_end - _pos} of them");
            }

            _end += read;
        }
    }

    /// <summary>Marks a read nobody will await as observed; it ends with an error when the connection is closed.</summary>
    public static void Abandon(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    public byte ReadByte() => _buffer[_pos++];

    public ushort ReadUInt16()
    {
        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_pos));
        _pos += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_pos));
        _pos += 4;
        return value;
    }

    public int ReadInt32()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_pos));
        _pos += 4;
        return value;
    }

    /// <summary>The next <paramref name="count"/> buffered bytes; valid until the next EnsureAsync.</summary>
    public ReadOnlySpan<byte> ReadSpan(int count)
    {
        var span = _buffer.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    public void Skip(int count) => _pos += count;

    /// <summary>Reads and discards <paramref name="count"/> bytes, in buffer-sized pieces.</summary>
    public async ValueTask SkipAsync(long count, string expected, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var piece = (int)Math.Min(count, _buffer.Length);
            await EnsureAsync(piece, expected, cancellationToken).ConfigureAwait(false);
            Skip(piece);
            count -= piece;
        }
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Needlework.Video;

/// <summary>
/// The bounded queue between the capture loop and the encoder's writer thread. Adding never waits: a full or
/// completed queue refuses the item, and the caller counts the drop. Taking blocks the writer thread (its own
/// thread, not the pool's) until an item comes or the queue is completed and empty.
/// </summary>
internal sealed class FrameQueue(int capacity)
{
    private readonly Queue<QueuedFrame> _items = new(capacity);
    private readonly object _gate = new();
    private bool _completed;

    /// <summary>Queues <paramref name="item"/>; false, at once, when the queue is full or completed.</summary>
    public bool TryAdd(QueuedFrame item, out int depth)
    {
        lock (_gate)
        {
            depth = _items.Count;
            if (_completed || _items.Count >= capacity)
            {
                return false;
            }

            _items.Enqueue(item);
            depth = _items.Count;
            if (depth == 1)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    /// <summary>Waits for the next item; false when the queue is completed and nothing is left.</summary>
    public bool Take([MaybeNullWhen(false)] out QueuedFrame item)
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    item = null;
                    return false;
                }

                Monitor.Wait(_gate);
            }

            item = _items.Dequeue();
            return true;
        }
    }

    /// <summary>Takes what is queued without waiting (for accounting after the writer has stopped).</summary>
    public bool TryTake([MaybeNullWhen(false)] out QueuedFrame item)
    {
        lock (_gate)
        {
            return _items.TryDequeue(out item);
        }
    }

    /// <summary>No more items will be added; the writer drains what is left, then <see cref="Take"/> returns false.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }
}

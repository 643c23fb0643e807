namespace Cluster.Engine.Paging;

/// <summary>
/// The free pages in LRU order as an intrusive doubly linked list over arrays (vLLM's
/// FreeKVCacheBlockQueue): O(1) pop from the head, push to the tail, and removal from the middle,
/// which is how a cached page nobody references is revived by a prefix hit. Not thread-safe: the
/// pool's lock guards it.
/// </summary>
internal sealed class FreePageQueue
{
    private const int None = -1;

    private readonly int[] _prev;
    private readonly int[] _next;
    private readonly bool[] _queued;
    private int _head = None;
    private int _tail = None;

    /// <summary>Starts with every page free, in id order.</summary>
    public FreePageQueue(int capacity)
    {
        _prev = new int[capacity];
        _next = new int[capacity];
        _queued = new bool[capacity];
        for (var page = 0; page < capacity; page++)
        {
            PushTail(page);
        }
    }

    public int Count { get; private set; }

    public bool Contains(int page) => _queued[page];

    /// <summary>The least recently freed page.</summary>
    public int PopHead()
    {
        if (_head == None)
        {
            throw new InvalidOperationException("The free page queue is empty.");
        }

        var page = _head;
        Remove(page);
        return page;
    }

    public void PushTail(int page)
    {
        if (_queued[page])
        {
            throw new InvalidOperationException($"Page {page} is already in the free queue.");
        }

        _prev[page] = _tail;
        _next[page] = None;
        if (_tail == None)
        {
            _head = page;
        }
        else
        {
            _next[_tail] = page;
        }

        _tail = page;
        _queued[page] = true;
        Count++;
    }

    public void Remove(int page)
    {
        if (!_queued[page])
        {
            throw new InvalidOperationException($"Page {page} is not in the free queue.");
        }

        var prev = _prev[page];
        var next = _next[page];
        if (prev == None)
        {
            _head = next;
        }
        else
        {
            _next[prev] = next;
        }

        if (next == None)
        {
            _tail = prev;
        }
        else
        {
            _prev[next] = prev;
        }

        _queued[page] = false;
        Count--;
    }

    /// <summary>The queue from head to tail; for tests and diagnostics.</summary>
    public int[] ToArray()
    {
        var pages = new int[Count];
        for (int page = _head, i = 0; page != None; page = _next[page], i++)
        {
            pages[i] = page;
        }

        return pages;
    }
}

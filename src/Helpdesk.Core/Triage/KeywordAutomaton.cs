namespace Helpdesk.Core.Triage;

/// <summary>
/// Aho–Corasick over characters: every keyword of every rule found in one pass over the text,
/// whatever the number of keywords. Chinese has no spaces, so matching is by character; a
/// keyword whose edge is a Latin letter or digit must sit on a word boundary there (so "sue"
/// is not found in "issue"), unless it was written with a trailing <c>*</c>.
/// </summary>
internal sealed class KeywordAutomaton
{
    public readonly record struct Hit(int Keyword, int Start, int Length);

    private readonly Dictionary<long, int> _next = [];
    private readonly int[] _fail;
    private readonly int[][] _outputs;
    private readonly int[] _lengths;
    private readonly bool[] _boundaryLeft;
    private readonly bool[] _boundaryRight;

    /// <param name="keywords">Already normalised; a trailing * means "may continue as a longer word".</param>
    public KeywordAutomaton(IReadOnlyList<string> keywords)
    {
        _lengths = new int[keywords.Count];
        _boundaryLeft = new bool[keywords.Count];
        _boundaryRight = new bool[keywords.Count];
        var outputs = new List<List<int>> { new() };
        for (var k = 0; k < keywords.Count; k++)
        {
            var word = keywords[k];
            var open = word.EndsWith('*');
            if (open) word = word[..^1];
            _lengths[k] = word.Length;
            _boundaryLeft[k] = word.Length > 0 && char.IsAsciiLetterOrDigit(word[0]);
            _boundaryRight[k] = !open && word.Length > 0 && char.IsAsciiLetterOrDigit(word[^1]);
            var state = 0;
            foreach (var c in word)
            {
                if (!_next.TryGetValue(Key(state, c), out var to))
                {
                    to = outputs.Count;
                    outputs.Add([]);
                    _next[Key(state, c)] = to;
                }
                state = to;
            }
            if (word.Length > 0)
                outputs[state].Add(k);
        }

        _fail = new int[outputs.Count];
        var children = new List<(int From, char C, int To)>[outputs.Count];
        foreach (var (key, to) in _next)
            (children[(int)(key >> 16)] ??= []).Add((0, (char)(key & 0xFFFF), to));
        var queue = new Queue<int>();
        foreach (var (_, _, to) in children[0] ?? [])
            queue.Enqueue(to);
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (_, c, to) in children[state] ?? [])
            {
                var f = _fail[state];
                int target;
                while (!_next.TryGetValue(Key(f, c), out target) && f != 0)
                    f = _fail[f];
                _fail[to] = _next.TryGetValue(Key(f, c), out target) && target != to ? target : 0;
                outputs[to].AddRange(outputs[_fail[to]]);
                queue.Enqueue(to);
            }
        }
        _outputs = outputs.Select(o => o.Distinct().ToArray()).ToArray();
    }

    private static long Key(int state, char c) => ((long)state << 16) | c;

    public void FindAll(string text, List<Hit> hits)
    {
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int to;
            while (!_next.TryGetValue(Key(state, c), out to) && state != 0)
                state = _fail[state];
            state = _next.TryGetValue(Key(state, c), out to) ? to : 0;
            foreach (var k in _outputs[state])
            {
                var start = i - _lengths[k] + 1;
                if (_boundaryLeft[k] && start > 0 && TriageText.IsWordChar(text[start - 1]))
                    continue;
                if (_boundaryRight[k] && i + 1 < text.Length && TriageText.IsWordChar(text[i + 1]))
                    continue;
                hits.Add(new Hit(k, start, _lengths[k]));
            }
        }
    }
}

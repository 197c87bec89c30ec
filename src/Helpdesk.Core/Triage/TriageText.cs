namespace Helpdesk.Core.Triage;

/// <summary>
/// Normalises text for matching one character for another, so a match's position in the
/// normalised text is its position in the original (the explanation shows the original words):
/// full-width ASCII to half-width, the ideographic space to a space, lower case, and common
/// traditional characters to simplified ones (a customer from Hong Kong or Taiwan writes 退貨).
/// </summary>
public static class TriageText
{
    // Pairs (traditional, simplified) for the characters customer-service text uses most.
    private const string Traditional =
        "貨們沒訂單還錢換壞態務費賠償訴體師報麼這個為於無發號聯繫後達貴說話問題應該買賣價門開關機電腦當實對幾過進來時間長經點讓處據帳戶碼錄統網頁顯誤錯運遞東質損馬紅極氣憤騙爛維顧惡協會記監場導論壇願謝請議節語聲響舊萬億塊張覺歡滿儘趕緊給嗎麻煩啟動裝軟體碟螢幕鍵盤總隨雖雙嚴厲聽見壓縮擊線連結幫忙員貼態專業確認銷種產廠規則隻衝擔從國際寄収據權益復製蘋櫃庫存還換貨單態";
    private const string Simplified =
        "货们没订单还钱换坏态务费赔偿诉体师报么这个为于无发号联系后达贵说话问题应该买卖价门开关机电脑当实对几过进来时间长经点让处据账户码录统网页显误错运递东质损马红极气愤骗烂维顾恶协会记监场导论坛愿谢请议节语声响旧万亿块张觉欢满尽赶紧给吗麻烦启动装软体碟屏幕键盘总随虽双严厉听见压缩击线连结帮忙员贴态专业确认销种产厂规则只冲担从国际寄収据权益复制苹柜库存还换货单态";

    private static readonly Dictionary<char, char> Simplify = BuildMap();

    private static Dictionary<char, char> BuildMap()
    {
        var map = new Dictionary<char, char>();
        // 螢幕 becomes 屏幕 character by character: 螢 stands for 屏 in the only word it is used in here.
        for (var i = 0; i < Traditional.Length; i++)
            if (Traditional[i] != Simplified[i])
                map.TryAdd(Traditional[i], Simplified[i]);
        return map;
    }

    public static char Fold(char c)
    {
        if (c < 128)
            return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        if (c is >= '\uFF01' and <= '\uFF5E')
            return Fold((char)(c - 0xFEE0));
        if (c == '\u3000')
            return ' ';
        // Curly apostrophes in "don’t" are the straight one.
        if (c is '\u2019' or '\u2018')
            return '\'';
        if (Simplify.TryGetValue(c, out var simple))
            return simple;
        return char.IsUpper(c) ? char.ToLowerInvariant(c) : c;
    }

    /// <summary>Same length as <paramref name="text"/>: index i of the result is character i folded.</summary>
    public static string Normalise(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = Fold(source[i]);
        });

    public static bool IsWordChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) || c == '\'' : char.IsLetter(c) && !IsCjk(c);

    public static bool IsCjk(char c) => c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Where a clause ends: a negator in the clause before does not reach past it.</summary>
    public static bool IsClauseBreak(char c) => c is ',' or '.' or '!' or '?' or ';' or ':' or '\n' or '\r'
        or '，' or '。' or '！' or '？' or '；' or '：' or '、' or '~' or '…';
}

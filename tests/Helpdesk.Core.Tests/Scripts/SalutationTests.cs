using Helpdesk.Core.Customers;
using Helpdesk.Core.Scripts;

namespace Helpdesk.Core.Tests.Scripts;

public sealed class SalutationTests
{
    [Theory]
    [InlineData("陈明", null, Gender.Male, "陈先生", "Mr 陈")]
    [InlineData("林晓红", "林", Gender.Female, "林女士", "Ms 林")]
    [InlineData("欧阳娜娜", null, Gender.Female, "欧阳女士", "Ms 欧阳")]
    [InlineData("司马光", null, Gender.Male, "司马先生", "Mr 司马")]
    [InlineData("诸葛亮", null, Gender.Male, "诸葛先生", "Mr 诸葛")]
    [InlineData("Emily Carter", null, Gender.Female, "Carter女士", "Ms Carter")]
    [InlineData("David Miller", null, Gender.Male, "Miller先生", "Mr Miller")]
    [InlineData("Chen Ming", "Chen", Gender.Male, "Chen先生", "Mr Chen")]
    public void Surname_and_gender_known_give_the_polite_address(string name, string? surname, Gender gender, string zh, string en)
    {
        var customer = new CustomerName(name, surname, gender);
        Salutation.For("zh-CN", customer).Should().Be(zh);
        Salutation.For("en", customer).Should().Be(en);
    }

    [Theory]
    [InlineData("陈明", null, Gender.Unknown)]               // gender unknown
    [InlineData("访客 Visitor 1a2b3c", null, Gender.Male)]   // a visitor's placeholder name
    [InlineData("Emily", null, Gender.Female)]              // one word: no surname to use
    [InlineData("", null, Gender.Female)]
    [InlineData(null, null, Gender.Male)]
    [InlineData("user_2024", null, Gender.Female)]
    public void Missing_surname_or_gender_falls_back_to_the_neutral_form(string? name, string? surname, Gender gender)
    {
        var customer = new CustomerName(name, surname, gender);
        Salutation.For("zh-CN", customer).Should().Be("您");
        Salutation.For("en", customer).Should().Be("customer");
        Salutation.For("en", null).Should().Be("customer");
    }

    [Fact]
    public void A_name_given_as_wang_xiansheng_gives_surname_and_gender()
    {
        Salutation.For("zh-CN", new CustomerName("王先生")).Should().Be("王先生");
        Salutation.For("zh-CN", new CustomerName("李小姐")).Should().Be("李女士");
        Salutation.For("zh-CN", new CustomerName("欧阳女士")).Should().Be("欧阳女士");
        Salutation.For("en", new CustomerName("王先生")).Should().Be("Mr 王");
    }

    [Fact]
    public void The_records_own_gender_wins_over_the_honorific_in_the_name()
    {
        Salutation.For("zh-CN", new CustomerName("张先生", null, Gender.Female)).Should().Be("张女士");
    }

    [Theory]
    [InlineData("欧阳", "欧阳")]
    [InlineData("欧阳修", "欧阳")]
    [InlineData("王", "王")]
    [InlineData("王小明", "王")]
    [InlineData("Mary Ann O'Neil", "O'Neil")]
    [InlineData("一二三四五六", null)]
    public void Surnames_are_read_from_names(string name, string? surname)
    {
        Salutation.SurnameOf(name).Should().Be(surname);
    }
}

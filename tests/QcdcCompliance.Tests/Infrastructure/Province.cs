namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>
/// A small province to build tests on: P with districts D1 and D2 until 30/6/2025, communes C1, C2 (in D1) and C3
/// (in D2) linked straight to P from 1/7/2025, and commune C9 that existed only until 2019 with no successor.
/// </summary>
public static class Province
{
    public const string Areas =
        """
        code,name,level,parent_code,valid_from,valid_to
        P,Tỉnh Thử,Province,,,
        D1,Huyện Một,District,P,,2025-06-30
        D2,Huyện Hai,District,P,,2025-06-30
        C1,Xã Một,Commune,D1,,2025-06-30
        C1,Xã Một,Commune,P,2025-07-01,
        C2,Xã Hai,Commune,D1,,2025-06-30
        C2,Xã Hai,Commune,P,2025-07-01,
        C3,Xã Ba,Commune,D2,,2025-06-30
        C3,Xã Ba,Commune,P,2025-07-01,
        C9,Xã Cũ,Commune,D2,,2019-12-31

        """;

    public const string UnitsHeader = "code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to\n";

    public const string Units = UnitsHeader +
        """
        XA1,UBND Xã Một,Commune,C1,true,30,xa1@example.vn,,
        XA2,UBND Xã Hai,Commune,C2,true,25,xa2@example.vn,,
        XA3,UBND Xã Ba,Commune,C3,true,20,,,
        CQ1,Phòng Nội vụ,StateAgency,D1,true,12,cq1@example.vn,,
        DN1,Công ty Một,NonStateEnterprise,C1,true,50,dn1@example.vn,,
        DN2,Công ty Hai,NonStateEnterprise,C2,false,40,,,
        TH1,Thôn Một,Village,C1,false,0,,,
        OLD,UBND Xã Cũ,Commune,C9,false,10,,,2019-12-31

        """;

    public const string ValuesHeader = "unit_code,period,indicator,value,comment\n";

    /// <summary>A few values of 2020S1, yes/no and counts, met and not, most units' missing: several targets fall short.</summary>
    public const string SomeValues2020S1 = ValuesHeader +
        """
        XA1,2020S1,DIALOGUE_CONFERENCES,1,
        XA2,2020S1,DIALOGUE_CONFERENCES,0,
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,

        """;
}

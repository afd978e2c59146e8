using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>The catalogue's indicators by name, for rules to read reports with.</summary>
public static class Indicators
{
    public static readonly Indicator RegulationIssued = IndicatorCatalogue.Get("REGULATION_ISSUED");
    public static readonly Indicator DialogueConferences = IndicatorCatalogue.Get("DIALOGUE_CONFERENCES");
    public static readonly Indicator PeopleInformed = IndicatorCatalogue.Get("PEOPLE_INFORMED");
    public static readonly Indicator PeopleToInform = IndicatorCatalogue.Get("PEOPLE_TO_INFORM");
    public static readonly Indicator DisclosurePosted = IndicatorCatalogue.Get("DISCLOSURE_POSTED");
    public static readonly Indicator StaffConferenceHeld = IndicatorCatalogue.Get("STAFF_CONFERENCE_HELD");
    public static readonly Indicator CollectiveAgreementSigned = IndicatorCatalogue.Get("CLA_SIGNED");
    public static readonly Indicator WorkerConferenceHeld = IndicatorCatalogue.Get("WORKER_CONFERENCE_HELD");
    public static readonly Indicator WorkplaceDialogues = IndicatorCatalogue.Get("WORKPLACE_DIALOGUES");
    public static readonly Indicator InspectionBoardConstituted = IndicatorCatalogue.Get("INSPECTION_BOARD_CONSTITUTED");
    public static readonly Indicator MediationCases = IndicatorCatalogue.Get("MEDIATION_CASES");
    public static readonly Indicator MediationSuccesses = IndicatorCatalogue.Get("MEDIATION_SUCCESSES");
    public static readonly Indicator ComplaintsReceived = IndicatorCatalogue.Get("COMPLAINTS_RECEIVED");
    public static readonly Indicator ComplaintsResolved = IndicatorCatalogue.Get("COMPLAINTS_RESOLVED");
    public static readonly Indicator CitizenReceptionDays = IndicatorCatalogue.Get("CITIZEN_RECEPTION_DAYS");
    public static readonly Indicator VillageConventionRecognised = IndicatorCatalogue.Get("VILLAGE_CONVENTION_RECOGNISED");

    /// <summary>Slots in a report's value array: ids run from 1.</summary>
    public static readonly int Slots = IndicatorCatalogue.All.Max(i => i.Id) + 1;
}

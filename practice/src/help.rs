//! Where to turn now: the help page's lines, each with who it is for, when it
//! answers and where that was read. A line without hours or a source does
//! not pass the tests; docs/CONTENT.md ("Help lines") says how each was
//! checked and when.

/// A text in Danish and English.
pub type Both = (&'static str, &'static str);

/// The five regions, whose out-of-hours doctor and psychiatric emergency
/// care are reached differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Hovedstaden,
    Sjaelland,
    Syddanmark,
    Midtjylland,
    Nordjylland,
}

impl Region {
    pub const ALL: [Region; 5] = [
        Region::Hovedstaden,
        Region::Sjaelland,
        Region::Syddanmark,
        Region::Midtjylland,
        Region::Nordjylland,
    ];

    pub fn name(self) -> Both {
        match self {
            Region::Hovedstaden => ("Region Hovedstaden", "Capital Region"),
            Region::Sjaelland => ("Region Sjælland", "Region Zealand"),
            Region::Syddanmark => ("Region Syddanmark", "Region of Southern Denmark"),
            Region::Midtjylland => ("Region Midtjylland", "Central Denmark Region"),
            Region::Nordjylland => ("Region Nordjylland", "North Denmark Region"),
        }
    }
}

/// What a line is for, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Danger to life, now.
    Danger,
    /// Thoughts of suicide.
    Suicide,
    /// A doctor outside the GP's opening hours.
    Doctor,
    /// Acute psychiatric help.
    Psychiatric,
    /// Children and young people.
    Young,
}

/// One place to call or go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub need: Need,
    /// For a region's own line.
    pub region: Option<Region>,
    /// The service's name.
    pub name: &'static str,
    /// The number as people write it, and as a phone dials it (`tel:`);
    /// None where one goes in person or is sent on by another line.
    pub number: Option<(&'static str, &'static str)>,
    /// Who it is for and how to use it.
    pub what: Both,
    /// When it answers.
    pub hours: Both,
    /// Where this was read: the service's own page where one was found.
    pub source: &'static str,
}

/// Every line on the help page.
pub static LINES: &[Line] = &[
    Line {
        need: Need::Danger,
        region: None,
        name: "112",
        number: Some(("112", "112")),
        what: (
            "Når et liv er i fare, også dit eget: alarmcentralen sender hjælp.",
            "When a life is in danger, your own too: the emergency centre sends help.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://politi.dk/kontakt-politiet/alarm-112",
    },
    Line {
        need: Need::Suicide,
        region: None,
        name: "Livslinien",
        number: Some(("70 201 201", "+4570201201")),
        what: (
            "Anonym samtale, når du har tanker om selvmord, eller når du er bekymret for en anden.",
            "An anonymous conversation (in Danish) when you have thoughts of suicide, or are worried about someone else.",
        ),
        hours: (
            "Ikke hele døgnet, og linjen er ofte optaget (se livslinien.dk). Svarer den ikke, så ring til lægevagten i din region, eller 112, hvis et liv er i fare.",
            "Not around the clock, and the line is often busy (see livslinien.dk). If it does not answer, call the out-of-hours doctor in your region, or 112 if a life is in danger.",
        ),
        source: "https://www.socialtindblik.dk/kun-et-ud-af-ti-opkald-bliver-besvaret-hos-livslinien-den-selvmordsforebyggende-indsats-halter-fortsat-bagud-i-danmark/",
    },
    Line {
        need: Need::Doctor,
        region: Some(Region::Hovedstaden),
        name: "Akuttelefonen 1813",
        number: Some(("1813", "1813")),
        what: (
            "Pludselig sygdom eller skade, der ikke kan vente, til din egen læge åbner. 1813 kan også vise vej til akut psykiatrisk hjælp.",
            "Sudden illness or injury that cannot wait until your own doctor opens. 1813 can also guide you to acute psychiatric help.",
        ),
        hours: (
            "Hverdage kl. 16–8 og i weekender; på hverdage kl. 8–16 din egen læge.",
            "Weekdays 16:00–08:00 and at weekends; on weekdays 08:00–16:00, your own doctor.",
        ),
        source: "https://www.bispebjerghospital.dk/undersoegelse-og-behandling/Akut-hj%C3%A6lp/1813/hvordanbrugerjeg1813/Sider/default.aspx",
    },
    Line {
        need: Need::Doctor,
        region: Some(Region::Sjaelland),
        name: "1818",
        number: Some(("1818", "1818")),
        what: (
            "Lægevagt, skadestue og psykiatrisk akutmodtagelse i ét nummer.",
            "The out-of-hours doctor, emergency room and psychiatric emergency care on one number.",
        ),
        hours: ("Når din egen læge har lukket.", "When your own doctor is closed."),
        source: "https://www.bt.dk/samfund/mere-end-700000-faar-nu-brev-skal-fremover-ringe-til-nyt-akutnummer",
    },
    Line {
        need: Need::Doctor,
        region: Some(Region::Syddanmark),
        name: "Lægevagten",
        number: Some(("70 11 07 07", "+4570110707")),
        what: (
            "Pludselig sygdom eller skade, der ikke kan vente, til din egen læge åbner.",
            "Sudden illness or injury that cannot wait until your own doctor opens.",
        ),
        hours: (
            "Hverdage kl. 16–8, weekender og helligdage hele døgnet.",
            "Weekdays 16:00–08:00; weekends and public holidays around the clock.",
        ),
        source: "https://regionsyddanmark.dk/patienter-og-parorende/akuthjaelp/sygdomme-og-mindre-skader-laegevagt-i-region-syddanmark/laegevagt-i-region-syddanmark",
    },
    Line {
        need: Need::Doctor,
        region: Some(Region::Midtjylland),
        name: "Lægevagten",
        number: Some(("70 11 31 31", "+4570113131")),
        what: (
            "Pludselig sygdom eller skade, der ikke kan vente, til din egen læge åbner. Lægevagten kan også sende dig videre til akut psykiatrisk hjælp.",
            "Sudden illness or injury that cannot wait until your own doctor opens. The out-of-hours doctor can also send you on to acute psychiatric help.",
        ),
        hours: (
            "Hverdage kl. 16–8, weekender og helligdage hele døgnet.",
            "Weekdays 16:00–08:00; weekends and public holidays around the clock.",
        ),
        source: "https://laegevagten.dk/en/region/central/medical-helpline",
    },
    Line {
        need: Need::Doctor,
        region: Some(Region::Nordjylland),
        name: "Lægevagten",
        number: Some(("70 15 03 00", "+4570150300")),
        what: (
            "Pludselig sygdom eller skade, der ikke kan vente, til din egen læge åbner.",
            "Sudden illness or injury that cannot wait until your own doctor opens.",
        ),
        hours: (
            "Hverdage kl. 16–8, weekender og helligdage hele døgnet.",
            "Weekdays 16:00–08:00; weekends and public holidays around the clock.",
        ),
        source: "https://new-in.hjoerring.dk/welcome-to-hjoerring-municipality/live-in-hjoerring/danish-health-care/emergency-doctor-service",
    },
    Line {
        need: Need::Psychiatric,
        region: Some(Region::Hovedstaden),
        name: "Psykiatrisk akutmodtagelse",
        number: None,
        what: (
            "Du kan møde op uden henvisning, og andre kan henvende sig for dig. Er du i tvivl om, hvor du skal hen, så ring 1813. På Bornholm: akutmodtagelsen på Bornholms Hospital, eller 1813.",
            "You can go in without a referral, and others can come on your behalf. If you are unsure where to go, call 1813. On Bornholm: the emergency department at Bornholm's Hospital, or 1813.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://www.psykiatri-regionh.dk/centre-og-social-tilbud/Psykiatriske-centre/Psykiatrisk-Center-Nordsjaelland/Undersoegelse-og-behandling/Akut-psykiatrisk-behandling/Sider/default.aspx",
    },
    Line {
        need: Need::Psychiatric,
        region: Some(Region::Sjaelland),
        name: "Psykiatrisk akutmodtagelse",
        number: Some(("1818", "1818")),
        what: (
            "1818 er også indgangen til den psykiatriske akutmodtagelse. Akutmodtagelserne er i Roskilde, Slagelse og Vordingborg.",
            "1818 is also the way in to psychiatric emergency care. The psychiatric emergency departments are in Roskilde, Slagelse and Vordingborg.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://www.regionsjaelland.dk/Sundhed/Tjekvoreskvalitet/Sygehuse/Sider/Psykiatrien.aspx",
    },
    Line {
        need: Need::Psychiatric,
        region: Some(Region::Syddanmark),
        name: "Psykiatrisk akutmodtagelse",
        number: None,
        what: (
            "Du kan møde op uden henvisning i Odense, Vejle, Esbjerg og Aabenraa.",
            "You can go in without a referral in Odense, Vejle, Esbjerg and Aabenraa.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://www.tv2fyn.dk/fyn/hotline-skal-give-krisehjaelp-til-ukrainere-paa-fyn",
    },
    Line {
        need: Need::Psychiatric,
        region: Some(Region::Midtjylland),
        name: "Akut psykiatri",
        number: Some(("70 11 31 31", "+4570113131")),
        what: (
            "Tal med din egen læge i dagtid eller lægevagten, som sender dig videre. Er du akut i fare for at tage dit liv, så ring 112.",
            "Talk to your own doctor in the daytime, or the out-of-hours doctor, who sends you on. If you are in immediate danger of taking your life, call 112.",
        ),
        hours: (
            "Din egen læge på hverdage kl. 8–16, ellers lægevagten; 112 altid.",
            "Your own doctor on weekdays 08:00–16:00, otherwise the out-of-hours doctor; 112 always.",
        ),
        source: "https://www.psykiatrien.rm.dk/afdelinger/regionspsykiatrien-horsens/i-behandling/psykiatrisk-modtagelse/",
    },
    Line {
        need: Need::Psychiatric,
        region: Some(Region::Nordjylland),
        name: "Psykiatriens Information",
        number: Some(("97 64 30 00", "+4597643000")),
        what: (
            "Psykiatrien i Region Nordjylland svarer og viser vej til akut hjælp.",
            "The psychiatric services of the North Denmark Region answer and show the way to acute help.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://psykiatri.rn.dk/da/Praktisk-information",
    },
    Line {
        need: Need::Young,
        region: None,
        name: "BørneTelefonen",
        number: Some(("116 111", "116111")),
        what: (
            "Børns Vilkårs rådgivning for børn og unge: telefon, chat og sms, anonymt.",
            "Børns Vilkår's counselling for children and young people (in Danish): phone, chat and text, anonymously.",
        ),
        hours: ("Døgnet rundt.", "Around the clock."),
        source: "https://ekstrabladet.dk/nyheder/samfund/boernetelefonen-vil-hjaelpe-tusindvis-af-unge-om-natten/8945221",
    },
];

/// The lines for `need`, in the page's order.
pub fn lines(need: Need) -> impl Iterator<Item = &'static Line> {
    LINES.iter().filter(move |l| l.need == need)
}

/// A piece of a text a person wrote: words, or a phone number a phone can
/// call with one tap (`tel` is the number as a `tel:` link wants it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Words(&'a str),
    Phone { shown: &'a str, tel: String },
}

/// `text` in pieces, each phone number in it on its own: groups of digits
/// with single spaces between them making a Danish number (8 digits), or
/// after a `+` a number with its country code (10 digits after +45, else 8
/// to 15). Groups are taken only while they fit, so a time after a number
/// ("12 34 56 78 8-16") stays words, and two numbers side by side are two.
/// Dates, times and short numbers ("2026-12-07", "9-15", "lokale 2") stay
/// words.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let digit_run = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut pieces = Vec::new();
    let mut words_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let plus = bytes[at] == b'+';
        let first = if plus { at + 1 } else { at };
        let starts = bytes.get(first).is_some_and(u8::is_ascii_digit);
        // A number begins after a space or punctuation, not inside a word.
        let alone = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if !(starts && alone) {
            at += 1;
            continue;
        }
        let most = match (plus, text[first..].starts_with("45")) {
            (false, _) => 8,
            (true, true) => 10,
            (true, false) => 15,
        };
        let (mut digits, mut end, mut group) = (0, first, first);
        loop {
            let length = digit_run(group);
            if length == 0 || digits + length > most {
                break;
            }
            digits += length;
            end = group + length;
            let more = bytes.get(end) == Some(&b' ') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if digits == most || !more {
                break;
            }
            group = end + 1;
        }
        let whole = if plus { (8..=most).contains(&digits) } else { digits == most };
        let followed_by_word = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if whole && !followed_by_word {
            if words_from < at {
                pieces.push(Piece::Words(&text[words_from..at]));
            }
            let run = &text[at..end];
            let number: String = run.chars().filter(char::is_ascii_digit).collect();
            let tel = if plus { format!("+{number}") } else { number };
            pieces.push(Piece::Phone { shown: run, tel });
            words_from = end;
            at = end;
        } else {
            at = first + digit_run(first).max(1);
        }
    }
    if words_from < text.len() {
        pieces.push(Piece::Words(&text[words_from..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line says when it answers and where that was read; each region
    /// has its out-of-hours doctor and its way to psychiatric emergency care.
    #[test]
    fn every_line_has_hours_and_a_source() {
        for line in LINES {
            for text in [line.hours.0, line.hours.1, line.what.0, line.what.1] {
                assert!(!text.trim().is_empty(), "{}: empty text", line.name);
            }
            assert!(line.source.starts_with("https://"), "{}: source {:?}", line.name, line.source);
            if let Some((shown, dialled)) = line.number {
                let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
                assert!(dialled.ends_with(&digits), "{}: {shown} dials {dialled}", line.name);
            }
        }
        for region in Region::ALL {
            for need in [Need::Doctor, Need::Psychiatric] {
                assert_eq!(
                    lines(need).filter(|l| l.region == Some(region)).count(),
                    1,
                    "{region:?} {need:?}"
                );
            }
        }
        assert!(lines(Need::Danger).any(|l| l.number == Some(("112", "112"))));
        assert!(lines(Need::Young).any(|l| l.number.is_some_and(|n| n.1 == "116111")));
    }

    #[test]
    fn phone_numbers_in_a_teachers_words_can_be_called() {
        let tel = |shown: &'static str, tel: &str| Piece::Phone { shown, tel: tel.to_owned() };
        assert_eq!(
            pieces("Ring eller skriv på 12 34 56 78, hverdage kl. 9-15"),
            [
                Piece::Words("Ring eller skriv på "),
                tel("12 34 56 78", "12345678"),
                Piece::Words(", hverdage kl. 9-15")
            ]
        );
        assert_eq!(pieces("+45 2211 3344"), [tel("+45 2211 3344", "+4522113344")]);
        assert_eq!(
            pieces("sms 22113344 or mail"),
            [Piece::Words("sms "), tel("22113344", "22113344"), Piece::Words(" or mail")]
        );
        // Not numbers to call: dates, rooms, times, a number inside a word or a long code.
        for text in
            ["lokale 2, 1. sal", "2026-12-07", "kl. 9-15", "ab12345678", "12345678cd", "1234567890123456"]
        {
            assert_eq!(pieces(text), [Piece::Words(text)], "{text}");
        }
        assert_eq!(pieces(""), []);
        // A time right after a number is not part of it; two numbers side by side are two.
        assert_eq!(
            pieces("Ring 12 34 56 78 8-16"),
            [Piece::Words("Ring "), tel("12 34 56 78", "12345678"), Piece::Words(" 8-16")]
        );
        assert_eq!(
            pieces("12345678 87654321"),
            [tel("12345678", "12345678"), Piece::Words(" "), tel("87654321", "87654321")]
        );
        assert_eq!(pieces("+46 8 123 456 78"), [tel("+46 8 123 456 78", "+46812345678")]);
        assert_eq!(
            pieces("æøå 12345678 ø"),
            [Piece::Words("æøå "), tel("12345678", "12345678"), Piece::Words(" ø")]
        );
    }
}

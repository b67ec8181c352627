//! The fixed content of the demo: accounts with their passwords, addresses and complaint texts.
//! Nothing here is random, so every run writes the same municipality.

use crate::domain::roles::Role;

/// One account the demo creates and prints.
pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

/// The admin (checked first: its presence means the demo is already there).
pub const ADMIN: DemoAccount = DemoAccount {
    role: Role::Admin,
    email: "beheer@gemeente.example",
    password: "Demo-Beheer-Kraanvogel-2026",
    name: "Administrator",
};
pub const OFFICER: DemoAccount = DemoAccount {
    role: Role::Officer,
    email: "toezicht@gemeente.example",
    password: "Demo-Toezicht-Zeemeeuw-2026",
    name: "A. de Vries (toezichthouder)",
};
pub const MANAGER: DemoAccount = DemoAccount {
    role: Role::Manager,
    email: "manager@gemeente.example",
    password: "Demo-Manager-Lepelaar-2026",
    name: "M. Bakker (teamleider)",
};
pub const BIBOB: DemoAccount = DemoAccount {
    role: Role::BibobOfficer,
    email: "bibob@gemeente.example",
    password: "Demo-Integriteit-Aalscholver-2026",
    name: "B. Jansen (Bibob-coördinator)",
};
/// Burgerzaken: works the registration signals (BRP address investigations).
pub const CIVIL_AFFAIRS: DemoAccount = DemoAccount {
    role: Role::CivilAffairs,
    email: "burgerzaken@gemeente.example",
    password: "Demo-Burgerzaken-Grutto-2026",
    name: "S. Visser (burgerzaken)",
};
/// A legal entity with a KvK number: most of the properties and applications.
pub const COMPANY: DemoAccount = DemoAccount {
    role: Role::Landlord,
    email: "verhuur@maasstad-kamers.example",
    password: "Demo-Verhuur-Kademuur-2026",
    name: "Maasstad Kamerverhuur B.V.",
};
pub const COMPANY_KVK: &str = "24681357";
/// A natural person letting one granted house and drafting a second application.
pub const PERSON: DemoAccount = DemoAccount {
    role: Role::Landlord,
    email: "j.dekker@verhuurder.example",
    password: "Demo-Verhuur-Lindeboom-2026",
    name: "J. Dekker",
};

/// Every account, in the order printed.
pub const ACCOUNTS: [&DemoAccount; 7] =
    [&ADMIN, &OFFICER, &MANAGER, &BIBOB, &CIVIL_AFFAIRS, &COMPANY, &PERSON];

/// The four digits of the demo postcodes: a real area of the configured municipality when known
/// (Rotterdam, Amsterdam, Den Haag, Utrecht), Rotterdam's centre otherwise.
pub fn postcode_digits(municipality_code: &str) -> [&'static str; 3] {
    match municipality_code {
        "GM0363" => ["1012", "1053", "1091"],
        "GM0518" => ["2512", "2515", "2526"],
        "GM0344" => ["3511", "3531", "3572"],
        _ => ["3011", "3014", "3021"],
    }
}

/// A complaint of the demo: a resident writing in their own language.
pub struct DemoComplaint {
    pub language: &'static str,
    pub category: &'static str,
    pub description: &'static str,
    /// Index into the demo properties (the address reported).
    pub property: usize,
    /// The reporter leaves an e-mail address and consents to be contacted.
    pub contact_email: Option<&'static str>,
    /// Exploitation signals (one complaint has them: urgent).
    pub signals: bool,
}

pub const COMPLAINTS: [DemoComplaint; 6] = [
    DemoComplaint {
        language: "nl",
        category: "deposit_too_high",
        description: "De verhuurder vraagt een borg van drie maanden kale huur en wil die contant.",
        property: 0,
        contact_email: Some("huurder.nl@bewoner.example"),
        signals: false,
    },
    DemoComplaint {
        language: "en",
        category: "no_written_tenancy",
        description: "I have lived here for four months and never received a written tenancy agreement.",
        property: 1,
        contact_email: None,
        signals: false,
    },
    DemoComplaint {
        language: "pl",
        category: "overcrowding",
        description: "Mieszkamy w dwanaście osób w czterech pokojach. Pracodawca zabrał nasze paszporty i \
                      grozi, że nas wyrzuci, jeśli się poskarżymy.",
        property: 1,
        contact_email: None,
        signals: true,
    },
    DemoComplaint {
        language: "ro",
        category: "unsafe_housing",
        description: "Nu există detector de fum, iar ieșirea de urgență este blocată cu mobilă.",
        property: 1,
        contact_email: None,
        signals: false,
    },
    DemoComplaint {
        language: "bg",
        category: "poor_maintenance",
        description: "Има мухъл в банята от месеци и наемодателят не отговаря на съобщенията ни.",
        property: 2,
        contact_email: None,
        signals: false,
    },
    DemoComplaint {
        language: "uk",
        category: "rent_above_maximum",
        description: "Орендна плата за кімнату значно вища за дозволений максимум, і за послуги теж \
                      беруть окремо.",
        property: 0,
        contact_email: Some("orendar@bewoner.example"),
        signals: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_password_passes_the_strength_rule() {
        for a in ACCOUNTS {
            crate::domain::passwords::check_password_strength(a.password, &[a.email])
                .unwrap_or_else(|e| panic!("{}: password {e}", a.email));
        }
    }
}

"""Name pools for the demo region: people, places and units as West Swedish municipalities
name them.

The people pools mirror care staff in the Gothenburg region, where a large share were born
abroad or have parents who were: each background has its own first names and surnames, and a
share of people mix them (marriage, adoption, a Swedish first name given by parents born
elsewhere).
"""

# background: (weight, female first names, male first names, surnames)
BACKGROUNDS: dict[str, tuple[int, list[str], list[str], list[str]]] = {
    "swedish": (
        66,
        [
            "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Lena", "Kristina", "Elin",
            "Johanna", "Malin", "Linnea", "Ida", "Sofia", "Helena", "Camilla", "Jenny",
            "Susanne", "Marie", "Annika", "Ulrika", "Hanna", "Jessica", "Frida", "Therese",
            "Madeleine", "Louise", "Agneta", "Birgitta", "Ingrid", "Monica", "Carina", "Lisa",
            "Julia", "Ebba", "Matilda", "Amanda", "Elsa", "Moa", "Wilma", "Alva", "Josefin",
            "Cecilia", "Petra", "Åsa", "Maja", "Tove", "Jonna", "Sanna", "Mikaela", "Emelie",
            "Pia", "Gunilla", "Anneli", "Veronica", "Katarina", "Lina", "Klara", "Stina",
        ],
        [
            "Johan", "Erik", "Anders", "Lars", "Per", "Mikael", "Daniel", "Fredrik", "Jonas",
            "Andreas", "Magnus", "Stefan", "Peter", "Oscar", "Lucas", "William", "Hugo",
            "Elias", "Simon", "Viktor", "Marcus", "Niklas", "Mattias", "Tobias", "Henrik",
            "Patrik", "Robin", "Emil", "Axel", "Filip",
        ],
        [
            "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
            "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
            "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson",
            "Lindström", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
            "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
            "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
            "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
            "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg",
            "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson",
            "Nordström", "Mårtensson", "Lundström", "Abrahamsson", "Kristiansson", "Ström",
            "Alexandersson", "Strand", "Hermansson", "Ekström", "Åberg", "Sundberg",
        ],
    ),
    "arabic": (
        10,
        [
            "Fatima", "Amina", "Maryam", "Nour", "Sara", "Leila", "Yasmin", "Aisha", "Samira",
            "Hiba", "Rania", "Nadia", "Zainab", "Huda", "Rasha", "Lina", "Dalia", "Rim",
        ],
        [
            "Mohammed", "Ali", "Hassan", "Ahmed", "Yusuf", "Omar", "Ibrahim", "Mustafa",
            "Khalid", "Karim", "Samir", "Hussein", "Bilal", "Tariq",
        ],
        [
            "Ali", "Mohamed", "Hussein", "Ahmed", "Hassan", "Haddad", "Khalil", "Ibrahim",
            "Saleh", "Abdullah", "Mahmoud", "Jaber", "Al-Hassan", "Younes", "Mansour",
        ],
    ),
    "somali_eritrean": (
        6,
        [
            "Hodan", "Fardowsa", "Hawa", "Asli", "Ayan", "Hibaaq", "Sahra", "Filsan", "Tigist",
            "Helen", "Selam", "Mebrat", "Ruth", "Saba",
        ],
        ["Abdi", "Abdirahman", "Mohamud", "Tesfaye", "Dawit", "Yonas", "Abdullahi", "Said"],
        [
            "Abdi", "Osman", "Farah", "Warsame", "Hersi", "Jama", "Tesfay", "Gebremedhin",
            "Haile", "Tekle", "Mohamud", "Nur",
        ],
    ),
    "balkan": (
        5,
        ["Dragana", "Jelena", "Mirela", "Senada", "Amra", "Lejla", "Ivana", "Sanja", "Emina"],
        ["Dragan", "Nikola", "Goran", "Edin", "Mirza", "Zoran", "Adnan"],
        [
            "Kovačević", "Hodžić", "Begić", "Petrović", "Jovanović", "Hadžić", "Mehmedović",
            "Marić", "Nikolić", "Delić", "Babić", "Hasanović",
        ],
    ),
    "turkish_kurdish": (
        3,
        ["Zeynep", "Elif", "Ayşe", "Emine", "Hatice", "Berfin", "Rojda", "Dilan"],
        ["Mehmet", "Emre", "Murat", "Serkan", "Baran", "Hasan"],
        ["Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Doğan", "Arslan"],
    ),
    "iranian_afghan": (
        4,
        ["Shirin", "Parisa", "Mina", "Maryam", "Nasrin", "Zahra", "Fereshteh", "Shabnam"],
        ["Reza", "Amir", "Ali", "Mehdi", "Hamid", "Mohammad", "Navid"],
        ["Jafari", "Karimi", "Hosseini", "Mohammadi", "Rahimi", "Ahmadi", "Rezaei", "Sadeghi"],
    ),
    "finnish_polish_baltic": (
        3,
        ["Maija", "Tuula", "Anneli", "Agnieszka", "Marta", "Ewa", "Katarzyna", "Ieva"],
        ["Jukka", "Timo", "Piotr", "Tomasz", "Marek"],
        [
            "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Nowak", "Kowalski", "Wiśniewska",
            "Lewandowska", "Kazlauskas",
        ],
    ),
    "vietnamese_thai": (
        2,
        ["Linh", "Mai", "Lan", "Thi", "Siriporn", "Malee", "Kanya"],
        ["Minh", "Tuan", "Somchai"],
        ["Nguyen", "Tran", "Le", "Pham", "Srisuk", "Wongsa"],
    ),
    "latin_american": (
        1,
        ["Maribel", "Carolina", "Daniela", "Ximena", "Paula"],
        ["Carlos", "Diego", "Jorge"],
        ["Rodríguez", "García", "Silva", "González", "Muñoz", "Pérez"],
    ),
}

# Real localities in each municipality, for home care groups and other place-named units.
PLACES: dict[str, list[str]] = {
    "1440": [  # Ale
        "Nödinge", "Nol", "Alafors", "Älvängen", "Skepplanda", "Surte", "Bohus", "Alvhem",
        "Starrkärr", "Hålanda",
    ],
    "1401": [  # Härryda
        "Mölnlycke", "Landvetter", "Hindås", "Rävlanda", "Härryda", "Hällingsjö", "Benareby",
        "Råda", "Bårhult", "Eskilsby",
    ],
    "1482": [  # Kungälv
        "Kungälv centrum", "Ytterby", "Kareby", "Kode", "Marstrand", "Diseröd", "Komarken",
        "Trankärr", "Solberga", "Romelanda", "Hålta", "Torsby",
    ],
    "1481": [  # Mölndal
        "Kållered", "Lindome", "Balltorp", "Fässberg", "Krokslätt", "Åby", "Toltorp",
        "Eklanda", "Bifrost", "Stensjön", "Lackarebäck", "Tulebo", "Sörgården", "Kvarnby",
    ],
    "1402": [  # Partille
        "Öjersjö", "Sävedalen", "Furulund", "Jonsered", "Kåhög", "Lexby", "Ugglum", "Mellby",
        "Partille centrum", "Öjersjö norra",
    ],
    "1415": [  # Stenungsund
        "Stenungsund centrum", "Stora Höga", "Jörlanda", "Ucklum", "Svenshögen", "Kopper",
        "Ödsmål", "Hallerna", "Spekeröd", "Ödsmålsmosse",
    ],
    "1419": [  # Tjörn
        "Skärhamn", "Kållekärr", "Rönnäng", "Klövedal", "Höviksnäs", "Myggenäs", "Kyrkesund",
        "Åstol", "Dyrön", "Bleket",
    ],
}

# Residential elderly-care homes (särskilda boenden), in the order they are used.
NURSING_HOMES: dict[str, list[str]] = {
    "1440": [
        "Vikadamms äldreboende", "Björkliden", "Klockareliden", "Madängen",
        "Ale Torgs äldreboende", "Alagården", "Backagården", "Surtegården", "Nolgården",
    ],
    "1401": [
        "Ekdalens äldreboende", "Björkåsen", "Landvetter äldreboende", "Hindås äldreboende",
        "Säteriet", "Lindgården", "Bråta äldreboende", "Skogsgläntan", "Rävlandagården",
    ],
    "1482": [
        "Ytterby äldreboende", "Fontin", "Trankärrsgården", "Klocktornet", "Kastellegården",
        "Kode äldreboende", "Solhöjden", "Marstrands äldreboende", "Komarkens äldreboende",
        "Kareby äldreboende",
    ],
    "1481": [
        "Kålleredsgården", "Lindome äldreboende", "Bifrost vård- och omsorgsboende",
        "Tulebo vård- och omsorgsboende", "Stensjögården", "Fässbergsgården",
        "Eklanda äldreboende", "Krokslätts äldreboende", "Åbybergsgården", "Toltorpsgården",
    ],
    "1402": [
        "Furulunds äldreboende", "Kåhögs äldreboende", "Öjersjö äldreboende",
        "Sävedalsgården", "Jonsereds äldreboende", "Lexby äldreboende", "Ugglegården",
        "Mellbygården",
    ],
    "1415": [
        "Kristinedal", "Strandängen", "Kopperskogen", "Jörlanda äldreboende", "Ucklumgården",
        "Höga gården", "Spekeröds äldreboende",
    ],
    "1419": [
        "Solgården", "Kållekärrs äldreboende", "Rönnängsgården", "Klöverhuset", "Havsbrisen",
        "Myggenäsgården",
    ],
}

# Streets that name group and service homes (LSS), shared by every municipality.
STREETS = [
    "Ekvägen", "Björkvägen", "Lönnvägen", "Granvägen", "Tallvägen", "Rosenvägen",
    "Vallmovägen", "Hasselvägen", "Solrosvägen", "Lärkvägen", "Kastanjevägen", "Syrenvägen",
    "Ängsvägen", "Klövervägen", "Blåbärsvägen", "Lingonvägen", "Smultronvägen",
    "Hjortronvägen", "Källvägen", "Bäckvägen", "Ljungvägen", "Mossvägen", "Videvägen",
    "Almvägen", "Aspvägen", "Envägen", "Furuvägen", "Rönnvägen", "Sälgvägen", "Idegransvägen",
]

# Administrations (förvaltningar/sektorer) for elderly care and disability support.
ADMINISTRATIONS = {
    "1440": "Sektor arbete, trygghet och omsorg",
    "1401": "Sektor för socialtjänst",
    "1482": "Sektor omsorg",
    "1481": "Vård- och omsorgsförvaltningen",
    "1402": "Förvaltningen för stöd och omsorg",
    "1415": "Sektor socialtjänst",
    "1419": "Sektor omsorg och stöd",
}

# Ward names for the work groups of larger nursing homes.
WARDS = ["Linnean", "Blåklinten", "Vitsippan", "Prästkragen", "Gullvivan", "Smörblomman"]
HOME_CARE_TEAMS = ["Team norr", "Team söder", "Kvällsgruppen"]

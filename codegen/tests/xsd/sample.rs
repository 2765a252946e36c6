// @generated from sample.xsd by the XSD stage; see xsd_roundtrip.rs.
/// Anonymous complex type of the global element `<getCitiesResponse>` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetCitiesResponse {
    /// Element `<return>`, repeated (0 or more), nillable (`xsi:nil`).
    pub r#return: Vec<_rt::Nillable<City>>,
}
impl _rt::XmlRead for GetCitiesResponse {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let mut r#return = Vec::new();
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"return" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut r#return)
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self { r#return })
    }
}
impl _rt::XmlWrite for GetCitiesResponse {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_all(__w, &self.r#return, _rt::Name::unqualified("return"));
        __w.close(__n);
    }
}
/// Anonymous complex type of the global element `<open2>` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct Open2 {
    /// Element `<Open>`, required.
    pub open: String,
}
impl _rt::XmlRead for Open2 {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let mut open = None;
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"Open" if __r.ns_is(&__c, Some(NS0)) => {
                    _rt::read_field(__r, &__c, &mut open)
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self {
            open: _rt::required(__r, open, "Open2", "Open")?,
        })
    }
}
impl _rt::XmlWrite for Open2 {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write(__w, &self.open, _rt::Name::qualified(NS0, "Open"));
        __w.close(__n);
    }
}
/// XML Schema complex type `amount` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Attribute `unit`, required.
    pub unit: String,
    /// The text content.
    pub value: _rt::Decimal,
}
impl _rt::XmlRead for Amount {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let unit = _rt::attr_req(__r, __s, None, "unit", "Amount")?;
        let value = _rt::read_text(__r, __s)?;
        Ok(Self { unit, value })
    }
}
impl _rt::XmlWrite for Amount {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_attr(__w, _rt::Name::unqualified("unit"), &self.unit);
        _rt::write_value(__w, &self.value);
        __w.close(__n);
    }
}
/// An `xs:choice` (first used in [`BigParcel`]): one of `<weight>`, `<volume>`.
#[derive(Debug, Clone, PartialEq)]
pub enum BigParcelChoice {
    /// Element `weight`.
    Weight(f64),
    /// Element `volume`.
    Volume(Amount),
}
impl _rt::XmlContent for BigParcelChoice {
    fn write_content(&self, __w: &mut _rt::XmlWriter) {
        match self {
            Self::Weight(v) => _rt::write(__w, v, _rt::Name::unqualified("weight")),
            Self::Volume(v) => _rt::write(__w, v, _rt::Name::unqualified("volume")),
        }
    }
}
/// An `xs:choice` (first used in [`BigParcel`]): one of `<tag>`, `<mark>`.
#[derive(Debug, Clone, PartialEq)]
pub enum BigParcelChoice2 {
    /// Element `tag`.
    Tag(String),
    /// Element `mark`.
    Mark(i32),
}
impl _rt::XmlContent for BigParcelChoice2 {
    fn write_content(&self, __w: &mut _rt::XmlWriter) {
        match self {
            Self::Tag(v) => _rt::write(__w, v, _rt::Name::unqualified("tag")),
            Self::Mark(v) => _rt::write(__w, v, _rt::Name::unqualified("mark")),
        }
    }
}
/// XML Schema complex type `bigParcel` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct BigParcel {
    /// Attribute `heavy`.
    pub heavy: Option<bool>,
    /// Element `<number>`, required.
    pub number: String,
    /// A choice of elements, required.
    pub choice: BigParcelChoice,
    /// A choice of elements, repeated (0 or more).
    pub choice_2: Vec<BigParcelChoice2>,
    /// Element `<crane>`, required.
    pub crane: bool,
}
impl _rt::XmlRead for BigParcel {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let heavy = _rt::attr_opt(__r, __s, None, "heavy")?;
        let mut number = None;
        let mut choice = None;
        let mut choice_2 = Vec::new();
        let mut crane = None;
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"number" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut number)
                }
                b"crane" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut crane)
                }
                b"weight" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice, BigParcelChoice::Weight(_rt::read(__r, &__c)?))
                }
                b"volume" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice, BigParcelChoice::Volume(_rt::read(__r, &__c)?))
                }
                b"tag" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice_2, BigParcelChoice2::Tag(_rt::read(__r, &__c)?))
                }
                b"mark" if __r.ns_is(&__c, None) => {
                    _rt::put(
                        &mut choice_2,
                        BigParcelChoice2::Mark(_rt::read(__r, &__c)?),
                    )
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self {
            heavy,
            number: _rt::required(__r, number, "BigParcel", "number")?,
            choice: _rt::required(__r, choice, "BigParcel", "choice")?,
            choice_2,
            crane: _rt::required(__r, crane, "BigParcel", "crane")?,
        })
    }
}
impl _rt::XmlWrite for BigParcel {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_attr_opt(__w, _rt::Name::unqualified("heavy"), self.heavy.as_ref());
        _rt::write(__w, &self.number, _rt::Name::unqualified("number"));
        _rt::write_content(__w, &self.choice);
        _rt::write_content_all(__w, &self.choice_2);
        _rt::write(__w, &self.crane, _rt::Name::unqualified("crane"));
        __w.close(__n);
    }
}
/// XML Schema complex type `city` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// Attribute `version`, required.
    pub version: i32,
    /// Default: `ru`.
    pub lang: String,
    /// Attribute `note`.
    pub note: Option<String>,
    /// Element `<cityId>`, required.
    pub city_id: i64,
    /// Element `<cityName>`, optional, nillable (`xsi:nil`).
    pub city_name: Option<_rt::Nillable<String>>,
    /// Element `<price>`, optional.
    pub price: Option<_rt::Decimal>,
    /// Element `<created>`, optional.
    pub created: Option<_rt::DateTime>,
    /// Element `<day>`, optional.
    pub day: Option<_rt::Date>,
    /// Element `<logo>`, optional.
    pub logo: Option<_rt::Base64Binary>,
    /// Element `<kind>`, optional.
    pub kind: Option<CityKind>,
    /// Element `<codes>`, optional.
    pub codes: Option<CodeList>,
    /// Element `<parent>`, optional.
    pub parent: Option<Box<City>>,
    /// Element `<children>`, repeated (0 or more).
    pub children: Vec<City>,
    /// Element `<extra>`, optional.
    pub extra: Option<_rt::AnyElement>,
}
impl _rt::XmlRead for City {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let version = _rt::attr_req(__r, __s, None, "version", "City")?;
        let lang = _rt::attr_or(__r, __s, None, "lang", "ru")?;
        let note = _rt::attr_opt(__r, __s, None, "note")?;
        let mut city_id = None;
        let mut city_name = None;
        let mut price = None;
        let mut created = None;
        let mut day = None;
        let mut logo = None;
        let mut kind = None;
        let mut codes = None;
        let mut parent = None;
        let mut children = Vec::new();
        let mut extra = None;
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"cityId" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut city_id)
                }
                b"cityName" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut city_name)
                }
                b"price" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut price)
                }
                b"created" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut created)
                }
                b"day" if __r.ns_is(&__c, None) => _rt::read_field(__r, &__c, &mut day),
                b"logo" if __r.ns_is(&__c, None) => _rt::read_field(__r, &__c, &mut logo),
                b"kind" if __r.ns_is(&__c, None) => _rt::read_field(__r, &__c, &mut kind),
                b"codes" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut codes)
                }
                b"parent" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut parent)
                }
                b"children" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut children)
                }
                b"extra" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut extra)
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self {
            version,
            lang,
            note,
            city_id: _rt::required(__r, city_id, "City", "cityId")?,
            city_name,
            price,
            created,
            day,
            logo,
            kind,
            codes,
            parent: parent.map(Box::new),
            children,
            extra,
        })
    }
}
impl _rt::XmlWrite for City {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_attr(__w, _rt::Name::unqualified("version"), &self.version);
        _rt::write_attr(__w, _rt::Name::unqualified("lang"), &self.lang);
        _rt::write_attr_opt(__w, _rt::Name::unqualified("note"), self.note.as_ref());
        _rt::write(__w, &self.city_id, _rt::Name::unqualified("cityId"));
        _rt::write_opt(__w, self.city_name.as_ref(), _rt::Name::unqualified("cityName"));
        _rt::write_opt(__w, self.price.as_ref(), _rt::Name::unqualified("price"));
        _rt::write_opt(__w, self.created.as_ref(), _rt::Name::unqualified("created"));
        _rt::write_opt(__w, self.day.as_ref(), _rt::Name::unqualified("day"));
        _rt::write_opt(__w, self.logo.as_ref(), _rt::Name::unqualified("logo"));
        _rt::write_opt(__w, self.kind.as_ref(), _rt::Name::unqualified("kind"));
        _rt::write_opt(__w, self.codes.as_ref(), _rt::Name::unqualified("codes"));
        _rt::write_opt(__w, self.parent.as_deref(), _rt::Name::unqualified("parent"));
        _rt::write_all(__w, &self.children, _rt::Name::unqualified("children"));
        _rt::write_opt(__w, self.extra.as_ref(), _rt::Name::unqualified("extra"));
        __w.close(__n);
    }
}
/// XML Schema enumeration `cityKind` (namespace `urn:sample`).
///
/// Values: `city`, `village`, `Посёлок`, `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CityKind {
    /// `city`: Город (city)
    City,
    /// `village`
    Village,
    /// `Посёлок`
    Посёлок,
    /// `Unknown`
    Unknown2,
    /// A value this version of the schema does not list.
    Unknown(String),
}
impl CityKind {
    /// The value as written in XML.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::City => "city",
            Self::Village => "village",
            Self::Посёлок => "Посёлок",
            Self::Unknown2 => "Unknown",
            Self::Unknown(v) => v,
        }
    }
}
impl _rt::XmlText for CityKind {
    fn parse_text(s: &str) -> ::core::result::Result<Self, String> {
        Ok(
            match s.trim() {
                "city" => Self::City,
                "village" => Self::Village,
                "Посёлок" => Self::Посёлок,
                "Unknown" => Self::Unknown2,
                v => Self::Unknown(v.to_owned()),
            },
        )
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(self.as_str());
    }
}
_rt::impl_text_traits!(CityKind);
/// Which cities to list.
#[derive(Debug, Clone, PartialEq)]
pub struct CityRequest {
    /// Element `<countryCode>`, required.
    pub country_code: String,
    /// Element `<type>`, optional.
    pub r#type: Option<CityKind>,
    /// Element `<return>`, optional.
    pub r#return: Option<bool>,
}
impl _rt::XmlRead for CityRequest {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let mut country_code = None;
        let mut r#type = None;
        let mut r#return = None;
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"countryCode" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut country_code)
                }
                b"type" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut r#type)
                }
                b"return" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut r#return)
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self {
            country_code: _rt::required(
                __r,
                country_code,
                "CityRequest",
                "countryCode",
            )?,
            r#type,
            r#return,
        })
    }
}
impl _rt::XmlWrite for CityRequest {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write(__w, &self.country_code, _rt::Name::unqualified("countryCode"));
        _rt::write_opt(__w, self.r#type.as_ref(), _rt::Name::unqualified("type"));
        _rt::write_opt(__w, self.r#return.as_ref(), _rt::Name::unqualified("return"));
        __w.close(__n);
    }
}
/// XML Schema simple type `code` (namespace `urn:sample`). Decoded as `String`.
pub type Code = String;
/// XML Schema simple type `codeList` (namespace `urn:sample`). Decoded as `List<Code>`.
pub type CodeList = _rt::List<Code>;
/// XML Schema complex type `getCities` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetCities {
    /// Element `<request>`, optional.
    pub request: Option<CityRequest>,
}
impl _rt::XmlRead for GetCities {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let mut request = None;
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"request" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut request)
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self { request })
    }
}
impl _rt::XmlWrite for GetCities {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_opt(__w, self.request.as_ref(), _rt::Name::unqualified("request"));
        __w.close(__n);
    }
}
/// XML Schema complex type `open` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct Open {
    /// Attributes not declared by the schema (`xs:anyAttribute`): (`{ns}name` or `name`, value).
    pub any_attributes: Vec<(String, String)>,
    /// Element `<id>`, required.
    pub id: i32,
    /// Any element (`xs:any`), kept as raw XML, repeated (0 or more).
    pub any: Vec<_rt::AnyElement>,
}
impl _rt::XmlRead for Open {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let any_attributes = _rt::other_attrs(__r, __s, &[])?;
        let mut id = None;
        let mut any = Vec::new();
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"id" if __r.ns_is(&__c, None) => _rt::read_field(__r, &__c, &mut id),
                _ => _rt::read_field(__r, &__c, &mut any),
            },
        )?;
        Ok(Self {
            any_attributes,
            id: _rt::required(__r, id, "Open", "id")?,
            any,
        })
    }
}
impl _rt::XmlWrite for Open {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write_other_attrs(__w, &self.any_attributes);
        _rt::write(__w, &self.id, _rt::Name::unqualified("id"));
        _rt::write_all(__w, &self.any, _rt::Name::unqualified(""));
        __w.close(__n);
    }
}
/// XML Schema complex type `parcel` (namespace `urn:sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    /// Element `<number>`, required.
    pub number: String,
    /// A choice of elements, required.
    pub choice: BigParcelChoice,
    /// A choice of elements, repeated (0 or more).
    pub choice_2: Vec<BigParcelChoice2>,
}
impl _rt::XmlRead for Parcel {
    fn read_xml<'a>(
        __r: &mut _rt::XmlReader<'a>,
        __s: &_rt::Start<'a>,
    ) -> ::core::result::Result<Self, _rt::DecodeError> {
        let mut number = None;
        let mut choice = None;
        let mut choice_2 = Vec::new();
        __r.children(
            __s,
            |__r, __c| match __c.local_name() {
                b"number" if __r.ns_is(&__c, None) => {
                    _rt::read_field(__r, &__c, &mut number)
                }
                b"weight" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice, BigParcelChoice::Weight(_rt::read(__r, &__c)?))
                }
                b"volume" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice, BigParcelChoice::Volume(_rt::read(__r, &__c)?))
                }
                b"tag" if __r.ns_is(&__c, None) => {
                    _rt::put(&mut choice_2, BigParcelChoice2::Tag(_rt::read(__r, &__c)?))
                }
                b"mark" if __r.ns_is(&__c, None) => {
                    _rt::put(
                        &mut choice_2,
                        BigParcelChoice2::Mark(_rt::read(__r, &__c)?),
                    )
                }
                _ => __r.skip(&__c),
            },
        )?;
        Ok(Self {
            number: _rt::required(__r, number, "Parcel", "number")?,
            choice: _rt::required(__r, choice, "Parcel", "choice")?,
            choice_2,
        })
    }
}
impl _rt::XmlWrite for Parcel {
    fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
        __w.open(__n);
        _rt::write(__w, &self.number, _rt::Name::unqualified("number"));
        _rt::write_content(__w, &self.choice);
        _rt::write_content_all(__w, &self.choice_2);
        __w.close(__n);
    }
}
/// Namespace `urn:sample`.
#[allow(dead_code)]
const NS0: &str = "urn:sample";

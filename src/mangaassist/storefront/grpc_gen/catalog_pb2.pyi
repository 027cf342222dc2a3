from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Product(_message.Message):
    __slots__ = ("asin", "series_id", "title", "title_ja", "format", "volume", "volume_end", "language", "medium", "isbn", "currency", "price", "list_price", "stock", "release_date", "rating", "rating_count", "seller", "trust_score", "description")
    ASIN_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TITLE_JA_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_END_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_FIELD_NUMBER: _ClassVar[int]
    ISBN_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    LIST_PRICE_FIELD_NUMBER: _ClassVar[int]
    STOCK_FIELD_NUMBER: _ClassVar[int]
    RELEASE_DATE_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    RATING_COUNT_FIELD_NUMBER: _ClassVar[int]
    SELLER_FIELD_NUMBER: _ClassVar[int]
    TRUST_SCORE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    asin: str
    series_id: str
    title: str
    title_ja: str
    format: str
    volume: int
    volume_end: int
    language: str
    medium: str
    isbn: str
    currency: str
    price: str
    list_price: str
    stock: int
    release_date: str
    rating: float
    rating_count: int
    seller: str
    trust_score: float
    description: str
    def __init__(self, asin: _Optional[str] = ..., series_id: _Optional[str] = ..., title: _Optional[str] = ..., title_ja: _Optional[str] = ..., format: _Optional[str] = ..., volume: _Optional[int] = ..., volume_end: _Optional[int] = ..., language: _Optional[str] = ..., medium: _Optional[str] = ..., isbn: _Optional[str] = ..., currency: _Optional[str] = ..., price: _Optional[str] = ..., list_price: _Optional[str] = ..., stock: _Optional[int] = ..., release_date: _Optional[str] = ..., rating: _Optional[float] = ..., rating_count: _Optional[int] = ..., seller: _Optional[str] = ..., trust_score: _Optional[float] = ..., description: _Optional[str] = ...) -> None: ...

class Series(_message.Message):
    __slots__ = ("series_id", "title_en", "title_ja", "title_romaji", "aliases", "authors", "demographic", "genres", "tags", "publisher", "magazine", "first_year", "status", "volumes", "age_rating", "synopsis", "synopsis_ja")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_EN_FIELD_NUMBER: _ClassVar[int]
    TITLE_JA_FIELD_NUMBER: _ClassVar[int]
    TITLE_ROMAJI_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    AUTHORS_FIELD_NUMBER: _ClassVar[int]
    DEMOGRAPHIC_FIELD_NUMBER: _ClassVar[int]
    GENRES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    PUBLISHER_FIELD_NUMBER: _ClassVar[int]
    MAGAZINE_FIELD_NUMBER: _ClassVar[int]
    FIRST_YEAR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    AGE_RATING_FIELD_NUMBER: _ClassVar[int]
    SYNOPSIS_FIELD_NUMBER: _ClassVar[int]
    SYNOPSIS_JA_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    title_en: str
    title_ja: str
    title_romaji: str
    aliases: _containers.RepeatedScalarFieldContainer[str]
    authors: _containers.RepeatedScalarFieldContainer[str]
    demographic: str
    genres: _containers.RepeatedScalarFieldContainer[str]
    tags: _containers.RepeatedScalarFieldContainer[str]
    publisher: str
    magazine: str
    first_year: int
    status: str
    volumes: int
    age_rating: str
    synopsis: str
    synopsis_ja: str
    def __init__(self, series_id: _Optional[str] = ..., title_en: _Optional[str] = ..., title_ja: _Optional[str] = ..., title_romaji: _Optional[str] = ..., aliases: _Optional[_Iterable[str]] = ..., authors: _Optional[_Iterable[str]] = ..., demographic: _Optional[str] = ..., genres: _Optional[_Iterable[str]] = ..., tags: _Optional[_Iterable[str]] = ..., publisher: _Optional[str] = ..., magazine: _Optional[str] = ..., first_year: _Optional[int] = ..., status: _Optional[str] = ..., volumes: _Optional[int] = ..., age_rating: _Optional[str] = ..., synopsis: _Optional[str] = ..., synopsis_ja: _Optional[str] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("asin",)
    ASIN_FIELD_NUMBER: _ClassVar[int]
    asin: str
    def __init__(self, asin: _Optional[str] = ...) -> None: ...

class BatchGetProductsRequest(_message.Message):
    __slots__ = ("asins",)
    ASINS_FIELD_NUMBER: _ClassVar[int]
    asins: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, asins: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetProductsResponse(_message.Message):
    __slots__ = ("products",)
    class ProductsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Product
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.MessageMap[str, Product]
    def __init__(self, products: _Optional[_Mapping[str, Product]] = ...) -> None: ...

class SearchProductsRequest(_message.Message):
    __slots__ = ("text", "author", "genre", "series_id", "language", "max_price", "in_stock_only", "limit")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    GENRE_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MAX_PRICE_FIELD_NUMBER: _ClassVar[int]
    IN_STOCK_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    text: str
    author: str
    genre: str
    series_id: str
    language: str
    max_price: str
    in_stock_only: bool
    limit: int
    def __init__(self, text: _Optional[str] = ..., author: _Optional[str] = ..., genre: _Optional[str] = ..., series_id: _Optional[str] = ..., language: _Optional[str] = ..., max_price: _Optional[str] = ..., in_stock_only: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class SearchProductsResponse(_message.Message):
    __slots__ = ("products",)
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ...) -> None: ...

class GetSeriesRequest(_message.Message):
    __slots__ = ("series_id",)
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    def __init__(self, series_id: _Optional[str] = ...) -> None: ...

class ListSeriesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSeriesResponse(_message.Message):
    __slots__ = ("series",)
    SERIES_FIELD_NUMBER: _ClassVar[int]
    series: _containers.RepeatedCompositeFieldContainer[Series]
    def __init__(self, series: _Optional[_Iterable[_Union[Series, _Mapping]]] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ("offset", "limit")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    offset: int
    limit: int
    def __init__(self, offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products", "next_offset")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    next_offset: int
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...

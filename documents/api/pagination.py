"""Page numbers for the documents list: 20 a page, ``?page_size=`` up to 100."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class DocumentPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page “{page_number}”: {message}."

    def get_page_size(self, request):
        """A page size that is not a positive whole number is a mistake to report, not to ignore.

        Sizes above the maximum are lowered to it, as ``max_page_size`` promises.
        """
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            message = f"Give a whole number from 1 to {self.max_page_size}, not “{raw}”."
            raise ValidationError({self.page_size_query_param: message})
        return min(int(raw), self.max_page_size)

"""Page numbers for the documents list (sizes in ``parameters``)."""

from rest_framework.pagination import PageNumberPagination

from documents.api import parameters


class DocumentPagination(PageNumberPagination):
    page_size = parameters.DOCUMENT_PAGE_SIZE
    page_size_query_param = parameters.PAGE_SIZE
    max_page_size = parameters.MAX_DOCUMENT_PAGE_SIZE
    invalid_page_message = "There is no page “{page_number}”: {message}."

    def get_page_size(self, request):
        """The same page-size rule as the annotation containers (``parameters.page_size``)."""
        raw = request.query_params.get(self.page_size_query_param)
        return parameters.page_size(raw, default=self.page_size, maximum=self.max_page_size)

    def get_page_number(self, request, paginator):
        """The same page-number rule as the annotation containers, counted from 1 here."""
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            return raw
        return parameters.whole_number(raw, field=self.page_query_param, minimum=1)

    def get_schema_operation_parameters(self, view):
        """Declare the smallest page and page size, so a schema-valid request is never refused."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

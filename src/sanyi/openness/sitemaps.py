from django.contrib.sitemaps import Sitemap

from sanyi.openness.selectors import publication_public_qs


class PublicationSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return publication_public_qs().only("pk", "publish_at").order_by("-publish_at", "-pk")

    def lastmod(self, item):
        return item.publish_at

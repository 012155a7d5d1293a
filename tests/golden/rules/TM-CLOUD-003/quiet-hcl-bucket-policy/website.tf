resource "aws_s3_bucket" "website" {
  bucket = "acme-www"
}

resource "aws_cloudfront_origin_access_control" "website" {
  name                              = "acme-www"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# Only the CloudFront distribution reads the objects.
data "aws_iam_policy_document" "cloudfront_read" {
  statement {
    sid       = "CloudFrontReadGetObject"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.website.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = ["arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE"]
    }
  }
}

resource "aws_s3_bucket_policy" "website" {
  bucket = aws_s3_bucket.website.id
  policy = data.aws_iam_policy_document.cloudfront_read.json
}

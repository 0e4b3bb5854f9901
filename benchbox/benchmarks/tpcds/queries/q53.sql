-- TPC-DS Q53 (Appendix B.53): manufacturers of items in chosen category/class/brand groups whose
-- quarterly store sales in a twelve-month window deviate by more than 10% from their average quarter.
-- @param DMS 1200 ~ uniform(1176, 1224)
with quarterly as (
    select
        i_manufact_id,
        sum(ss_sales_price) as sum_sales,
        avg(sum(ss_sales_price)) over (partition by i_manufact_id) as avg_quarterly_sales
    from item, store_sales, date_dim, store
    where ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
      and (
          (i_category in ('Books', 'Children', 'Electronics')
           and i_class in ('personal', 'portable', 'reference', 'self-help')
           and i_brand in ('scholaramalgamalg #14', 'scholaramalgamalg #7', 'exportiunivamalg #9', 'scholaramalgamalg #9'))
          or (i_category in ('Women', 'Music', 'Men')
              and i_class in ('accessories', 'classical', 'fragrances', 'pants')
              and i_brand in ('amalgimporto #1', 'edu packscholar #1', 'exportiimporto #1', 'importoamalg #1'))
      )
    group by i_manufact_id, d_qoy
)
select i_manufact_id, sum_sales, avg_quarterly_sales
from quarterly
where case
        when avg_quarterly_sales > 0 then abs(sum_sales - avg_quarterly_sales) / avg_quarterly_sales
    end > 0.1
order by avg_quarterly_sales, sum_sales, i_manufact_id
limit 100
